#include "newroomdialog.h"

#include "chat/limits.h"
#include "chat/validation.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace Confab::Desktop {

NewRoomDialog::NewRoomDialog(QWidget *parent)
    : QDialog(parent)
    , m_name(new QLineEdit(this))
    , m_topic(new QLineEdit(this))
    , m_public(new QRadioButton(tr("&Public — listed in the directory; anyone may join"), this))
    , m_private(new QRadioButton(tr("P&rivate — not listed; members join when invited"), this))
    , m_hint(new QLabel(this))
    , m_create(new QPushButton(tr("Create"), this))
{
    setObjectName(QStringLiteral("newRoomDialog"));
    setWindowTitle(tr("New Room"));
    m_name->setObjectName(QStringLiteral("newRoomName"));
    m_name->setPlaceholderText(tr("e.g. design-review"));
    m_topic->setObjectName(QStringLiteral("newRoomTopic"));
    m_topic->setMaxLength(Chat::MaxTopicLength);
    m_topic->setPlaceholderText(tr("What the room is for (optional)"));
    m_public->setObjectName(QStringLiteral("newRoomPublic"));
    m_private->setObjectName(QStringLiteral("newRoomPrivate"));
    m_public->setChecked(true);
    m_hint->setObjectName(QStringLiteral("newRoomHint"));
    m_hint->setWordWrap(true);
    m_create->setObjectName(QStringLiteral("newRoomCreateButton"));
    m_create->setDefault(true);

    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Topic:"), m_topic);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    buttons->addButton(m_create, QDialogButtonBox::AcceptRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_create, &QPushButton::clicked, this, [this] {
        Q_EMIT createRequested(request());
        accept();
    });
    connect(m_name, &QLineEdit::textChanged, this, &NewRoomDialog::validate);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_public);
    layout->addWidget(m_private);
    layout->addWidget(m_hint);
    layout->addWidget(buttons);
    setMinimumWidth(460);
    validate();
}

Chat::CreateRoomRequest NewRoomDialog::request() const
{
    QString name = m_name->text().trimmed();
    if (name.startsWith(QLatin1Char('#')))
        name.remove(0, 1);
    return { name, m_topic->text().trimmed(),
             m_private->isChecked() ? Chat::Visibility::Private : Chat::Visibility::Public };
}

void NewRoomDialog::validate()
{
    const QString name = request().room;
    const bool valid = Chat::isValidRoomName(name);
    m_create->setEnabled(valid);
    m_hint->setText(name.isEmpty() || valid
                        ? tr("Lower-case letters, digits, - and _; up to 64.")
                        : tr("“%1” cannot be a room name: use lower-case letters, digits, - and _.").arg(name));
}

} // namespace Confab::Desktop
