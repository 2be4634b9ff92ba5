#include "logindialog.h"

#include "theme.h"

#include "chat/validation.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QVBoxLayout>

namespace Confab::Desktop {

LoginDialog::LoginDialog(QWidget *parent)
    : QDialog(parent)
    , m_server(new QLineEdit(this))
    , m_user(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_confirmLabel(new QLabel(tr("&Confirm password:"), this))
    , m_confirm(new QLineEdit(this))
    , m_passwordHint(new QLabel(this))
    , m_createAccount(new QCheckBox(tr("Create a new account"), this))
    , m_remember(new QCheckBox(tr("Remember me on this computer"), this))
    , m_error(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("loginDialog"));
    setWindowTitle(tr("Sign in to Confab"));
    setWindowIcon(appIcon());
    setUpFields();
    layOut();
    connectFields();
    validate();
    setMinimumWidth(420);
}

void LoginDialog::setUpFields()
{
    m_server->setObjectName(QStringLiteral("serverField"));
    m_user->setObjectName(QStringLiteral("userField"));
    m_password->setObjectName(QStringLiteral("passwordField"));
    m_confirm->setObjectName(QStringLiteral("confirmPasswordField"));
    m_passwordHint->setObjectName(QStringLiteral("passwordHint"));
    m_createAccount->setObjectName(QStringLiteral("createAccountBox"));
    m_remember->setObjectName(QStringLiteral("rememberBox"));
    m_error->setObjectName(QStringLiteral("loginError"));

    m_server->setPlaceholderText(QStringLiteral("https://chat.example.org"));
    m_user->setValidator(
        new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[A-Za-z0-9_.-]{1,32}")), m_user));
    m_password->setEchoMode(QLineEdit::Password);
    m_confirm->setEchoMode(QLineEdit::Password);
    m_confirmLabel->setBuddy(m_confirm);
    m_passwordHint->setWordWrap(true);
    m_passwordHint->setStyleSheet(QStringLiteral("color: #d64545"));
    m_passwordHint->hide();
    m_remember->setChecked(true);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #d64545"));
    m_error->hide();
    m_confirmLabel->hide();
    m_confirm->hide();
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Sign in"));
}

void LoginDialog::layOut()
{
    auto *heading = new QLabel(tr("Sign in to your Confab server"), this);
    QFont headingFont = heading->font();
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.25);
    headingFont.setBold(true);
    heading->setFont(headingFont);

    auto *form = new QFormLayout;
    form->addRow(tr("&Server:"), m_server);
    form->addRow(tr("&Username:"), m_user);
    form->addRow(tr("&Password:"), m_password);
    form->addRow(m_confirmLabel, m_confirm);
    form->addRow(QString(), m_passwordHint);
    form->addRow(QString(), m_createAccount);
    form->addRow(QString(), m_remember);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(heading);
    layout->addSpacing(6);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
}

void LoginDialog::connectFields()
{
    connect(m_createAccount, &QCheckBox::toggled, this, [this](bool create) {
        m_buttons->button(QDialogButtonBox::Ok)->setText(create ? tr("Create account") : tr("Sign in"));
        // The last error was about the other choice ("wrong password" is no news to a new account).
        m_error->hide();
        m_confirmLabel->setVisible(create);
        m_confirm->setVisible(create);
        validate();
    });
    connect(m_server, &QLineEdit::textChanged, this, &LoginDialog::validate);
    connect(m_user, &QLineEdit::textChanged, this, &LoginDialog::validate);
    connect(m_password, &QLineEdit::textChanged, this, &LoginDialog::validate);
    connect(m_confirm, &QLineEdit::textChanged, this, &LoginDialog::validate);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        m_error->hide();
        Q_EMIT signInRequested();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

QString LoginDialog::passwordProblem() const
{
    const QString password = m_password->text();
    if (password.isEmpty())
        return {};
    // The server counts bytes of UTF-8, as here.
    const qsizetype bytes = password.toUtf8().size();
    if (bytes > Chat::MaxPasswordBytes)
        return tr("The password is too long: at most %1 bytes.").arg(Chat::MaxPasswordBytes);
    if (!createAccount())
        return {}; // an existing account's password is the server's to judge
    if (bytes < Chat::MinPasswordBytes)
        return tr("Use at least %1 characters for the password.").arg(Chat::MinPasswordBytes);
    if (!m_confirm->text().isEmpty() && m_confirm->text() != password)
        return tr("The passwords do not match.");
    return {};
}

void LoginDialog::validate()
{
    const QUrl url = serverUrl();
    const QString problem = passwordProblem();
    m_passwordHint->setText(problem);
    m_passwordHint->setVisible(!problem.isEmpty());
    const bool confirmed = !createAccount() || m_confirm->text() == m_password->text();
    const bool valid = url.isValid()
        && (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https")) && !url.host().isEmpty()
        && !m_user->text().isEmpty() && !m_password->text().isEmpty() && problem.isEmpty() && confirmed;
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(valid);
}

void LoginDialog::setServerUrl(const QUrl &url)
{
    m_server->setText(url.toString());
}

void LoginDialog::setUser(const QString &user)
{
    m_user->setText(user);
    if (!user.isEmpty())
        m_password->setFocus();
}

void LoginDialog::setRemember(bool remember)
{
    m_remember->setChecked(remember);
}

QUrl LoginDialog::serverUrl() const
{
    const QString text = m_server->text().trimmed();
    // "chat.example.org:8080" means https unless it is this machine.
    if (!text.isEmpty() && !text.contains(QLatin1String("://"))) {
        const bool local = text.startsWith(QLatin1String("localhost")) || text.startsWith(QLatin1String("127."));
        return QUrl((local ? QStringLiteral("http://") : QStringLiteral("https://")) + text);
    }
    return QUrl(text);
}

QString LoginDialog::user() const
{
    return m_user->text();
}

QString LoginDialog::password() const
{
    return m_password->text();
}

bool LoginDialog::createAccount() const
{
    return m_createAccount->isChecked();
}

bool LoginDialog::remember() const
{
    return m_remember->isChecked();
}

void LoginDialog::setBusy(bool busy)
{
    for (QWidget *field : { static_cast<QWidget *>(m_server), static_cast<QWidget *>(m_user),
                            static_cast<QWidget *>(m_password), static_cast<QWidget *>(m_confirm),
                            static_cast<QWidget *>(m_createAccount), static_cast<QWidget *>(m_remember) })
        field->setEnabled(!busy);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!busy);
    if (!busy)
        validate();
}

void LoginDialog::showError(const QString &message)
{
    m_error->setText(message);
    m_error->show();
    m_password->selectAll();
    m_password->setFocus();
}

} // namespace Confab::Desktop
