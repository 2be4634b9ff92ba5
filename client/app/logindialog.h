// The first-start dialog: server, username, password, "Create account" (with a second
// password field that must match), "Remember me". It only collects and validates input
// (password length as the server checks it, with the reason next to the field); DesktopApp does the signing in and
// reports the outcome back with setBusy/showError.
#pragma once

#include <QDialog>
#include <QUrl>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace Confab::Desktop {

class LoginDialog : public QDialog
{
    Q_OBJECT
public:
    explicit LoginDialog(QWidget *parent = nullptr);

    void setServerUrl(const QUrl &url);
    void setUser(const QString &user);
    void setRemember(bool remember);
    QUrl serverUrl() const;
    QString user() const;
    QString password() const;
    bool createAccount() const;
    bool remember() const;

    // While a sign-in is under way the fields are locked.
    void setBusy(bool busy);
    void showError(const QString &message);

Q_SIGNALS:
    void signInRequested();

private:
    void setUpFields();
    void layOut();
    void connectFields();
    void validate();
    // What is wrong with the password(s), or nothing.
    QString passwordProblem() const;

    QLineEdit *m_server;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QLabel *m_confirmLabel;
    QLineEdit *m_confirm;
    QLabel *m_passwordHint;
    QCheckBox *m_createAccount;
    QCheckBox *m_remember;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
};

} // namespace Confab::Desktop
