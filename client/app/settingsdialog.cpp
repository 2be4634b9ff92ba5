#include "settingsdialog.h"

#include "autostart.h"
#include "chatsession.h"
#include "preferences.h"
#include "spellchecker.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>

namespace Confab::Desktop {

namespace {

QLabel *hint(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

} // namespace

SettingsDialog::SettingsDialog(Client::ChatSession *session, Preferences *preferences,
                               const QStringList &autostartArguments, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_preferences(preferences)
    , m_autostartArguments(autostartArguments)
    , m_tabs(new QTabWidget(this))
{
    setObjectName(QStringLiteral("settingsDialog"));
    setWindowTitle(tr("Settings"));
    m_tabs->addTab(createAccountPage(), tr("&Account"));
    m_tabs->addTab(createGeneralPage(), tr("&General"));
    m_tabs->addTab(createNotificationsPage(), tr("&Notifications"));
    m_tabs->addTab(createSpellingPage(), tr("S&pelling"));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs);
    layout->addWidget(buttons);
    resize(470, 290);
}

QWidget *SettingsDialog::createAccountPage()
{
    auto *page = new QWidget(this);
    auto *form = new QFormLayout(page);
    auto *server = new QLabel(m_session->serverUrl().toDisplayString(), page);
    server->setObjectName(QStringLiteral("serverLabel"));
    server->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Server:"), server);
    auto *user = new QLabel(m_session->user(), page);
    user->setObjectName(QStringLiteral("userLabel"));
    user->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Signed in as:"), user);
    m_connection = new QLabel(page);
    form->addRow(tr("Connection:"), m_connection);
    connect(m_session, &Client::ChatSession::onlineChanged, this, &SettingsDialog::updateConnection);
    updateConnection();
    auto *signOut = new QPushButton(tr("Sign &Out"), page);
    signOut->setObjectName(QStringLiteral("signOutButton"));
    connect(signOut, &QPushButton::clicked, this, [this] {
        accept();
        Q_EMIT signOutRequested();
    });
    auto *signOutRow = new QHBoxLayout;
    signOutRow->addWidget(signOut);
    signOutRow->addStretch();
    form->addRow(QString(), signOutRow);
    form->addRow(hint(tr("To use another server or account, sign out: the sign-in window asks for both. "
                         "Messages not yet sent stay in the outbox of this account."),
                      page));
    return page;
}

void SettingsDialog::updateConnection()
{
    m_connection->setText(m_session->isOnline() ? tr("Connected") : tr("Not connected — reconnecting"));
}

QWidget *SettingsDialog::createGeneralPage()
{
    auto *page = new QWidget(this);
    auto *form = new QFormLayout(page);

    auto *theme = new QComboBox(page);
    theme->setObjectName(QStringLiteral("themeBox"));
    theme->addItem(tr("Same as the desktop"), int(Theme::System));
    theme->addItem(tr("Light"), int(Theme::Light));
    theme->addItem(tr("Dark"), int(Theme::Dark));
    theme->setCurrentIndex(theme->findData(int(m_preferences->theme())));
    connect(theme, &QComboBox::currentIndexChanged, this,
            [this, theme] { m_preferences->setTheme(Theme(theme->currentData().toInt())); });
    form->addRow(tr("&Theme:"), theme);

    auto *away = new QSpinBox(page);
    away->setObjectName(QStringLiteral("awayAfterBox"));
    away->setRange(0, 240);
    away->setSuffix(tr(" min"));
    away->setSpecialValueText(tr("Never"));
    away->setValue(m_preferences->awayAfterMinutes());
    connect(away, &QSpinBox::valueChanged, m_preferences, &Preferences::setAwayAfterMinutes);
    form->addRow(tr("Show me as a&way after:"), away);
    form->addRow(hint(tr("Without keyboard or mouse input to Confab for this long, your status turns to Away, "
                         "and back to Online when you return. A status you chose yourself is left alone."),
                      page));

    auto *autostart = new QCheckBox(tr("&Start Confab when I log in"), page);
    autostart->setObjectName(QStringLiteral("autostartBox"));
    autostart->setChecked(Autostart::isEnabled());
    connect(autostart, &QCheckBox::toggled, this, [this, autostart](bool enabled) {
        QString error;
        if (Autostart::setEnabled(enabled, m_autostartArguments, &error))
            return;
        QMessageBox::warning(this, tr("Start When I Log In"), tr("That did not work: %1").arg(error));
        const QSignalBlocker blocker(autostart);
        autostart->setChecked(Autostart::isEnabled());
    });
    form->addRow(autostart);
    return page;
}

QWidget *SettingsDialog::createNotificationsPage()
{
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    auto *enabled = new QCheckBox(tr("Show &desktop notifications for new messages"), page);
    enabled->setObjectName(QStringLiteral("notificationsBox"));
    enabled->setChecked(m_preferences->notificationsEnabled());
    auto *previews = new QCheckBox(tr("Show the message's &text in notifications"), page);
    previews->setObjectName(QStringLiteral("previewsBox"));
    previews->setChecked(m_preferences->notificationPreviews());
    previews->setEnabled(enabled->isChecked());
    connect(enabled, &QCheckBox::toggled, m_preferences, &Preferences::setNotificationsEnabled);
    connect(enabled, &QCheckBox::toggled, previews, &QWidget::setEnabled);
    connect(previews, &QCheckBox::toggled, m_preferences, &Preferences::setNotificationPreviews);
    layout->addWidget(enabled);
    layout->addWidget(previews);
    layout->addWidget(hint(tr("Notifications show while Confab's window is not in front. Each room has its own "
                              "choice — all messages, mentions only, or nothing, and mute for a while — in its "
                              "menu in the room list. While your status is Busy, none are shown."),
                           page));
    layout->addStretch();
    return page;
}

QWidget *SettingsDialog::createSpellingPage()
{
    auto *page = new QWidget(this);
    auto *form = new QFormLayout(page);
    auto *check = new QCheckBox(tr("C&heck spelling as I type"), page);
    check->setObjectName(QStringLiteral("spellCheckBox"));
    check->setChecked(m_preferences->isSpellCheckEnabled());
    connect(check, &QCheckBox::toggled, m_preferences, &Preferences::setSpellCheckEnabled);
    form->addRow(check);

    const QStringList languages = SpellChecker::availableLanguages();
    if (languages.isEmpty()) {
        check->setEnabled(false);
        form->addRow(hint(tr("No dictionaries are installed. Install one for your language (on Debian and "
                             "Ubuntu: sudo apt install hunspell-en-us, hunspell-de-de, …) and open Settings again."),
                          page));
        return page;
    }
    auto *language = new QComboBox(page);
    language->setObjectName(QStringLiteral("spellLanguageBox"));
    for (const QString &code : languages)
        language->addItem(tr("%1 — %2").arg(SpellChecker::languageName(code), code), code);
    // A chosen dictionary since uninstalled: said so, and any other can be picked.
    const QString chosen = m_preferences->spellLanguage();
    if (language->findData(chosen) < 0)
        language->insertItem(0, tr("%1 — not installed").arg(chosen), chosen);
    language->setCurrentIndex(language->findData(chosen));
    language->setEnabled(check->isChecked());
    connect(check, &QCheckBox::toggled, language, &QWidget::setEnabled);
    connect(language, &QComboBox::currentIndexChanged, this,
            [this, language] { m_preferences->setSpellLanguage(language->currentData().toString()); });
    form->addRow(tr("&Language:"), language);
    form->addRow(hint(tr("Misspelled words get a red wavy underline; right-click one for suggestions or to add it "
                         "to your dictionary. Dictionaries come from the system's Hunspell packages."),
                      page));
    return page;
}

} // namespace Confab::Desktop
