// MessageModel: what a row says (roles) and changes made to a message elsewhere.
#include "messagemodel.h"

#include "chatsession.h"

#include "chat/errors.h"

namespace Confab::Client {

namespace {

// Errors that sending the same message again cannot fix (after "forbidden" the user may
// join the room and retry).
bool isRetriable(const QString &code)
{
    const Chat::ErrorCode error = Chat::errorCodeFromName(code);
    return error != Chat::ErrorCode::TooLarge && error != Chat::ErrorCode::BadRequest;
}

} // namespace

// Each emoji's count and users, and whether the user is among them (a chip shown pressed).
QVariantList MessageModel::reactionsOf(const Row &row) const
{
    QVariantList reactions;
    for (const QJsonValue &value : row.reactions) {
        QVariantMap reaction = value.toObject().toVariantMap();
        reaction.insert(QStringLiteral("mine"),
                        value.toObject().value(QStringLiteral("users")).toArray().contains(m_session->user()));
        reactions.append(reaction);
    }
    return reactions;
}

void MessageModel::applyUpdate(const Chat::Message &message)
{
    // Applied with the next batch: each can change a row's height, and a view lays out
    // all its rows for that. Until then the model says what the views were told.
    const QString id = QString::fromLatin1(message.id);
    const auto waiting = m_updates.constFind(id);
    if (waiting == m_updates.cend() || waiting->rev < message.rev)
        m_updates.insert(id, message);
    scheduleBatch();
}

void MessageModel::showUpdates()
{
    const QHash<QString, Chat::Message> updates = std::exchange(m_updates, {});
    for (const Chat::Message &message : updates)
        applyNow(message);
    if (!updates.isEmpty())
        m_sinceShown.start();
}

void MessageModel::applyNow(const Chat::Message &message)
{
    const QString id = QString::fromLatin1(message.id);
    for (int row = 0; row < m_rows.size(); ++row) {
        Row &entry = m_rows[row];
        if (entry.id != id || entry.rev >= message.rev)
            continue;
        entry.text = message.deleted ? QString() : message.text;
        entry.rev = message.rev;
        entry.editedAt = message.editedAt;
        entry.deleted = message.deleted;
        const Row changed = rowFromMessage(message.toJson());
        entry.replyTo = changed.replyTo;
        entry.mentions = changed.mentions;
        entry.reactions = changed.reactions;
        entry.attachments = changed.attachments;
        Q_EMIT dataChanged(index(row), index(row),
                           { TextRole, KeyRole, EditedAtRole, DeletedRole, ReplyToRole, MentionsRole, ReactionsRole,
                             AttachmentsRole });
        return;
    }
}

QVariant MessageModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
    case TextRole: return row.text;
    case IdRole: return row.id;
    case SeqRole: return row.seq;
    case FromRole: return row.from;
    case TimestampRole: return row.ts;
    case ClientIdRole: return row.clientId;
    case StateRole: return QVariant::fromValue(stateOf(row));
    case ErrorRole: return row.errorText.isEmpty() ? row.error : row.errorText;
    case CanRetryRole: return row.failed && isRetriable(row.error);
    case FirstUnreadRole: return !row.pending && row.seq == firstUnreadSeq() && row.seq > 0;
    case KeyRole: return QString((row.clientId.isEmpty() ? row.id : row.clientId) + u'#' + QString::number(row.rev));
    case DayRole: return row.day;
    case EditedAtRole: return row.editedAt;
    case DeletedRole: return row.deleted;
    case ReplyToRole: return row.replyTo.isEmpty() ? QVariant() : row.replyTo.toVariantMap();
    case MentionsRole: return row.mentions;
    case ReactionsRole: return reactionsOf(row);
    case AttachmentsRole: return row.attachments.toVariantList();
    default: return {};
    }
}

QHash<int, QByteArray> MessageModel::roleNames() const
{
    return { { IdRole, "id" },
             { SeqRole, "seq" },
             { FromRole, "from" },
             { TextRole, "text" },
             { TimestampRole, "ts" },
             { ClientIdRole, "clientId" },
             { StateRole, "state" },
             { ErrorRole, "error" },
             { CanRetryRole, "canRetry" },
             { FirstUnreadRole, "firstUnread" },
             { KeyRole, "key" },
             { DayRole, "day" },
             { EditedAtRole, "editedAt" },
             { DeletedRole, "deleted" },
             { ReplyToRole, "replyTo" },
             { MentionsRole, "mentions" },
             { ReactionsRole, "reactions" },
             { AttachmentsRole, "attachments" } };
}

} // namespace Confab::Client
