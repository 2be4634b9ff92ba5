#include "roomsettingsdialog.h"

#include "chatsession.h"
#include "memberdelegate.h"
#include "membermodel.h"

#include "chat/limits.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>

namespace Confab::Desktop {

using Client::MemberModel;

namespace {
const QString Owner = QStringLiteral("owner");
const QString Moderator = QStringLiteral("moderator");
} // namespace

RoomSettingsDialog::RoomSettingsDialog(Client::ChatSession *session, MemberModel *members, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_members(members)
    , m_visibility(new QLabel(this))
    , m_topic(new QLineEdit(members->topic(), this))
    , m_saveTopic(new QPushButton(tr("Save"), this))
    , m_list(new QListView(this))
    , m_invite(new QPushButton(tr("&Invite…"), this))
    , m_moderator(new QPushButton(this))
    , m_kick(new QPushButton(tr("&Kick…"), this))
    , m_ban(new QPushButton(tr("&Ban…"), this))
    , m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("roomSettingsDialog"));
    setWindowTitle(tr("#%1 — Room Settings").arg(members->room()));
    m_topic->setObjectName(QStringLiteral("settingsTopic"));
    m_topic->setMaxLength(Chat::MaxTopicLength);
    m_saveTopic->setObjectName(QStringLiteral("settingsSaveTopic"));
    m_list->setObjectName(QStringLiteral("settingsMembers"));
    m_list->setModel(members);
    m_list->setItemDelegate(new MemberDelegate(m_list));
    m_invite->setObjectName(QStringLiteral("settingsInvite"));
    m_moderator->setObjectName(QStringLiteral("settingsModerator"));
    m_kick->setObjectName(QStringLiteral("settingsKick"));
    m_ban->setObjectName(QStringLiteral("settingsBan"));
    m_status->setObjectName(QStringLiteral("settingsStatus"));
    m_status->setWordWrap(true);

    auto *topicRow = new QHBoxLayout;
    topicRow->addWidget(m_topic, 1);
    topicRow->addWidget(m_saveTopic);
    auto *form = new QFormLayout;
    form->addRow(tr("Topic:"), topicRow);
    form->addRow(tr("Visibility:"), m_visibility);
    auto *actions = new QHBoxLayout;
    for (QPushButton *button : { m_invite, m_moderator, m_kick, m_ban })
        actions->addWidget(button);
    actions->addStretch(1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("Members:"), this));
    layout->addWidget(m_list, 1);
    layout->addLayout(actions);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(520, 480);

    connect(m_saveTopic, &QPushButton::clicked, this, &RoomSettingsDialog::saveTopic);
    connect(m_topic, &QLineEdit::returnPressed, this, &RoomSettingsDialog::saveTopic);
    connect(m_invite, &QPushButton::clicked, this, &RoomSettingsDialog::invite);
    connect(m_moderator, &QPushButton::clicked, this,
            [this] { setRole(m_members->roleOf(selectedUser()) != Moderator); });
    connect(m_kick, &QPushButton::clicked, this, [this] { removeSelected(false); });
    connect(m_ban, &QPushButton::clicked, this, [this] { removeSelected(true); });
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &RoomSettingsDialog::updatePermissions);
    connect(members, &MemberModel::rolesChanged, this, &RoomSettingsDialog::updatePermissions);
    // A role change refills the list: the same member stays selected.
    connect(members, &QAbstractItemModel::modelAboutToBeReset, this, [this] { m_keptSelection = selectedUser(); });
    connect(members, &QAbstractItemModel::modelReset, this, [this] {
        selectUser(m_keptSelection);
        updatePermissions();
    });
    connect(members, &QAbstractItemModel::rowsRemoved, this, &RoomSettingsDialog::updatePermissions);
    connect(members, &MemberModel::topicChanged, this, [this](const QString &topic) {
        if (!m_topic->isModified())
            m_topic->setText(topic);
    });
    m_chooseInvitee = [this] {
        return QInputDialog::getText(this, tr("Invite to #%1").arg(m_members->room()), tr("Username:")).trimmed();
    };
    m_confirm = [this](const QString &question, std::function<void()> yes) {
        auto *box = new QMessageBox(QMessageBox::Question, windowTitle(), question,
                                    QMessageBox::Yes | QMessageBox::Cancel, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        connect(box, &QMessageBox::accepted, this, std::move(yes));
        box->open();
    };
    updatePermissions();
}

QString RoomSettingsDialog::selectedUser() const
{
    return m_list->currentIndex().data(MemberModel::UserRole).toString();
}

void RoomSettingsDialog::selectUser(const QString &user)
{
    for (int row = 0; row < m_members->rowCount(); ++row) {
        if (m_members->index(row).data(MemberModel::UserRole).toString() == user)
            return m_list->setCurrentIndex(m_members->index(row));
    }
}

void RoomSettingsDialog::updatePermissions()
{
    const QString own = m_members->roleOf(m_session->user());
    const bool moderates = m_members->canModerate();
    const bool isPrivate = m_members->visibility() == Chat::Visibility::Private;
    m_visibility->setText(isPrivate ? tr("Private — members join when invited by the owner or a moderator")
                                    : tr("Public — listed in the directory; anyone may join"));
    m_topic->setReadOnly(!moderates);
    m_saveTopic->setEnabled(moderates);
    m_invite->setEnabled(moderates || !isPrivate);
    const QString user = selectedUser();
    const QString role = m_members->roleOf(user);
    const bool other = !user.isEmpty() && user != m_session->user() && role != Owner;
    m_moderator->setText(role == Moderator ? tr("Make &Member") : tr("Make &Moderator"));
    m_moderator->setEnabled(own == Owner && other);
    m_kick->setEnabled(moderates && other);
    m_ban->setEnabled(moderates && other);
    if (!moderates)
        m_status->setText(tr("Only the room's owner and moderators change its settings."));
}

void RoomSettingsDialog::saveTopic()
{
    QPointer<RoomSettingsDialog> self(this);
    m_session->updateRoom({ m_members->room(), m_topic->text().trimmed() },
                          [self](const Chat::Result<Chat::RoomAnswer> &answer) {
                              if (!self)
                                  return;
                              self->m_topic->setModified(false);
                              self->report(answer ? std::nullopt : std::optional(answer.error()),
                                           tr("The topic is saved."));
                          });
}

void RoomSettingsDialog::invite()
{
    const QString user = m_chooseInvitee();
    if (user.isEmpty())
        return;
    QPointer<RoomSettingsDialog> self(this);
    m_session->inviteMember(m_members->room(), user, [self, user](const Chat::Result<Chat::Done> &answer) {
        if (self)
            self->report(answer ? std::nullopt : std::optional(answer.error()), tr("%1 is a member now.").arg(user));
    });
}

void RoomSettingsDialog::setRole(bool moderator)
{
    const QString user = selectedUser();
    QPointer<RoomSettingsDialog> self(this);
    m_session->setMemberRole({ m_members->room(), user,
                               moderator ? Chat::RoomRole::Moderator : Chat::RoomRole::Member },
                             [self, user, moderator](const Chat::Result<Chat::Done> &answer) {
                                 if (self)
                                     self->report(answer ? std::nullopt : std::optional(answer.error()),
                                                  moderator ? tr("%1 is a moderator now.").arg(user)
                                                            : tr("%1 is a member now.").arg(user));
                             });
}

void RoomSettingsDialog::removeSelected(bool ban)
{
    const QString user = selectedUser();
    const QString room = m_members->room();
    const QString question = ban
        ? tr("Ban %1 from #%2? They leave the room and cannot come back until unbanned.").arg(user, room)
        : tr("Remove %1 from #%2? They can join again.").arg(user, room);
    QPointer<RoomSettingsDialog> self(this);
    m_confirm(question, [self, user, room, ban] {
        if (!self)
            return;
        auto done = [self, user, ban](const Chat::Result<Chat::Done> &answer) {
            if (self)
                self->report(answer ? std::nullopt : std::optional(answer.error()),
                             ban ? tr("%1 is banned.").arg(user) : tr("%1 was removed.").arg(user));
        };
        if (ban)
            self->m_session->banUser({ room, user, true }, done);
        else
            self->m_session->kickMember(room, user, done);
    });
}

void RoomSettingsDialog::report(const std::optional<Chat::Error> &error, const QString &done)
{
    if (!error)
        return m_status->setText(done);
    m_status->setText(error->code == Chat::ErrorCode::Unavailable ? tr("The server cannot be reached right now.")
                                                                  : error->message);
}

} // namespace Confab::Desktop
