// What a search found, for the search panel: one row per message (newest first), with
// where it was said, by whom and when, and which parts of its text match the words typed
// — matched as the full-text index does: case and accents aside, the last word also as
// the start of a longer one.
#pragma once

#include "chat/values.h"

#include <QAbstractListModel>

#include <functional>

namespace Confab::Desktop {

// Characters [start, start + length) of a text.
struct TextRange
{
    qsizetype start = 0;
    qsizetype length = 0;
    friend bool operator==(const TextRange &, const TextRange &) = default;
};

// The parts of `text` the typed words match, in order: whole words, and for the last
// typed word also words that start with it (only that start is matched).
QList<TextRange> matchRanges(const QString &text, const QString &query);

class SearchModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role {
        RoomRole = Qt::UserRole + 1,
        RoomTitleRole, // "#general", "@bob"
        SeqRole,
        IdRole,
        FromRole,
        TimestampRole, // ms since the epoch
        TextRole,
        HighlightsRole, // QList<TextRange> into TextRole
    };
    using RoomTitle = std::function<QString(const QString &room)>;

    explicit SearchModel(QObject *parent = nullptr);

    void setRoomTitle(RoomTitle title) { m_roomTitle = std::move(title); }
    // Results for `query`, replacing what was there.
    void setResults(const QString &query, const QList<Chat::Message> &messages);
    void clear();
    // A message changed after it was found: the row follows (or goes, when deleted).
    void updateMessage(const Chat::Message &message);
    QString query() const { return m_query; }
    const Chat::Message &message(int row) const { return m_messages.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    QString m_query;
    QList<Chat::Message> m_messages;
    QList<QList<TextRange>> m_highlights;
    RoomTitle m_roomTitle;
};

} // namespace Confab::Desktop

Q_DECLARE_METATYPE(Confab::Desktop::TextRange)
