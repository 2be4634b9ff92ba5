// LocalStore: the persistent outbox — messages and changes written before they are sent,
// kept until the server acknowledges or refuses them.
#include "localstore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

#include <iterator>

namespace Confab::Client {

namespace {

const char *const KindNames[] = { "send", "edit", "delete", "react" }; // OutboxKind's order

QString kindName(OutboxKind kind)
{
    return QString::fromLatin1(KindNames[int(kind)]);
}

OutboxKind kindFromName(const QString &name)
{
    for (int kind = 0; kind < int(std::size(KindNames)); ++kind) {
        if (name == QLatin1String(KindNames[kind]))
            return OutboxKind(kind);
    }
    return OutboxKind::Send;
}

QString attachmentsColumn(const QList<OutboxAttachment> &attachments)
{
    if (attachments.isEmpty())
        return QString();
    QJsonArray list;
    for (const OutboxAttachment &attachment : attachments) {
        QJsonObject object { { QStringLiteral("path"), attachment.path },
                             { QStringLiteral("file"), QString::fromLatin1(attachment.file) },
                             { QStringLiteral("width"), attachment.width },
                             { QStringLiteral("height"), attachment.height } };
        // Keys added later: rows written before them read as "no thumbnail".
        if (!attachment.thumbnailPath.isEmpty()) {
            object.insert(QStringLiteral("thumbnailPath"), attachment.thumbnailPath);
            object.insert(QStringLiteral("thumbnailFile"), QString::fromLatin1(attachment.thumbnailFile));
        }
        list.append(object);
    }
    return QString::fromUtf8(QJsonDocument(list).toJson(QJsonDocument::Compact));
}

QList<OutboxAttachment> attachmentsFrom(const QString &column)
{
    QList<OutboxAttachment> attachments;
    for (const QJsonValue &value : QJsonDocument::fromJson(column.toUtf8()).array()) {
        const QJsonObject object = value.toObject();
        OutboxAttachment attachment;
        attachment.path = object.value(QStringLiteral("path")).toString();
        attachment.file = object.value(QStringLiteral("file")).toString().toLatin1();
        attachment.width = object.value(QStringLiteral("width")).toInt();
        attachment.height = object.value(QStringLiteral("height")).toInt();
        attachment.thumbnailPath = object.value(QStringLiteral("thumbnailPath")).toString();
        attachment.thumbnailFile = object.value(QStringLiteral("thumbnailFile")).toString().toLatin1();
        attachments.append(attachment);
    }
    return attachments;
}

} // namespace

bool LocalStore::writeOutbox(const OutboxEntry &entry, QString *error)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("INSERT INTO outbox (client_id, room, text, created_at, kind, message_id, reply_to,"
                                 " reaction_on, attachments) VALUES (?, ?, COALESCE(?, ''), ?, ?, COALESCE(?, ''),"
                                 " COALESCE(?, ''), ?, COALESCE(?, ''))"));
    query.addBindValue(entry.clientId);
    query.addBindValue(entry.room);
    query.addBindValue(entry.text);
    query.addBindValue(entry.createdAt);
    query.addBindValue(kindName(entry.kind));
    query.addBindValue(QString::fromLatin1(entry.messageId));
    query.addBindValue(QString::fromLatin1(entry.replyTo));
    query.addBindValue(entry.on ? 1 : 0);
    query.addBindValue(attachmentsColumn(entry.attachments));
    if (query.exec())
        return true;
    if (error)
        *error = query.lastError().text();
    return false;
}

std::optional<OutboxEntry> LocalStore::enqueue(const QString &room, const QString &text, QString *error,
                                               const QByteArray &replyTo, const QList<OutboxAttachment> &attachments)
{
    OutboxEntry entry;
    entry.clientId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    entry.room = room;
    entry.text = text;
    entry.createdAt = QDateTime::currentMSecsSinceEpoch();
    entry.replyTo = replyTo;
    entry.attachments = attachments;
    if (!writeOutbox(entry, error))
        return std::nullopt;
    return entry;
}

bool LocalStore::setOutboxAttachmentFile(const QString &clientId, int index, const QByteArray &file,
                                         const QByteArray &thumbnail)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT attachments FROM outbox WHERE client_id = ?"));
    query.addBindValue(clientId);
    if (!query.exec() || !query.next())
        return false;
    QList<OutboxAttachment> attachments = attachmentsFrom(query.value(0).toString());
    query.finish();
    if (index < 0 || index >= attachments.size())
        return false;
    if (!file.isEmpty())
        attachments[index].file = file;
    if (!thumbnail.isEmpty())
        attachments[index].thumbnailFile = thumbnail;
    QSqlQuery update(m_db);
    update.prepare(QStringLiteral("UPDATE outbox SET attachments = ? WHERE client_id = ?"));
    update.addBindValue(attachmentsColumn(attachments));
    update.addBindValue(clientId);
    return update.exec();
}

std::optional<OutboxEntry> LocalStore::enqueueChange(OutboxEntry entry, QString *error)
{
    entry.clientId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    entry.createdAt = QDateTime::currentMSecsSinceEpoch();
    entry.failed = false;
    if (!writeOutbox(entry, error))
        return std::nullopt;
    return entry;
}

QList<OutboxEntry> LocalStore::outbox() const
{
    QList<OutboxEntry> entries;
    QSqlQuery query(QStringLiteral("SELECT client_id, room, text, created_at, failed, error, error_text, kind,"
                                   " message_id, reply_to, reaction_on, attachments FROM outbox ORDER BY rowid"),
                    m_db);
    while (query.next()) {
        OutboxEntry entry;
        entry.clientId = query.value(0).toString();
        entry.room = query.value(1).toString();
        entry.text = query.value(2).toString();
        entry.createdAt = query.value(3).toLongLong();
        entry.failed = query.value(4).toBool();
        entry.error = query.value(5).toString();
        entry.errorText = query.value(6).toString();
        entry.kind = kindFromName(query.value(7).toString());
        entry.messageId = query.value(8).toString().toLatin1();
        entry.replyTo = query.value(9).toString().toLatin1();
        entry.on = query.value(10).toBool();
        entry.attachments = attachmentsFrom(query.value(11).toString());
        entries.append(entry);
    }
    return entries;
}

void LocalStore::removeFromOutbox(const QString &clientId)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("DELETE FROM outbox WHERE client_id = ?"));
    query.addBindValue(clientId);
    query.exec();
}

void LocalStore::markFailed(const QString &clientId, const QString &error, const QString &errorText)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("UPDATE outbox SET failed = 1, error = ?, error_text = ? WHERE client_id = ?"));
    query.addBindValue(error);
    query.addBindValue(errorText);
    query.addBindValue(clientId);
    query.exec();
}

void LocalStore::clearFailed(const QString &clientId)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("UPDATE outbox SET failed = 0, error = '', error_text = '' WHERE client_id = ?"));
    query.addBindValue(clientId);
    query.exec();
}

int LocalStore::pendingCount() const
{
    QSqlQuery query(m_db);
    query.exec(QStringLiteral("SELECT COUNT(*) FROM outbox WHERE failed = 0"));
    return query.next() ? query.value(0).toInt() : 0;
}

} // namespace Confab::Client
