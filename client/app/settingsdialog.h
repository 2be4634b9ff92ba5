// Settings (Ctrl+,): the server and account, the theme, notifications, spell checking,
// when to show as away, and starting with the desktop session. Changes apply at once
// (no OK/Cancel): each control writes to Preferences, which the window follows.
#pragma once

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QSpinBox;
class QTabWidget;

namespace Confab::Client {
class ChatSession;
}

namespace Confab::Desktop {

class Preferences;

class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    // autostartArguments: what the autostart entry passes (the profile, when not the default).
    SettingsDialog(Client::ChatSession *session, Preferences *preferences, const QStringList &autostartArguments,
                   QWidget *parent = nullptr);

    QTabWidget *tabs() const { return m_tabs; }

Q_SIGNALS:
    void signOutRequested();

private:
    QWidget *createAccountPage();
    QWidget *createGeneralPage();
    QWidget *createNotificationsPage();
    QWidget *createSpellingPage();
    void updateConnection();

    Client::ChatSession *m_session;
    Preferences *m_preferences;
    QStringList m_autostartArguments;
    QTabWidget *m_tabs;
    QLabel *m_connection = nullptr;
};

} // namespace Confab::Desktop
