#include "searchmodel.h"

#include <QRegularExpression>

namespace Confab::Desktop {

namespace {

// As the index's unicode61 tokenizer sees characters: letters, numbers and private-use
// characters make words (and combining marks, which remove_diacritics drops).
bool isWordCharacter(char32_t c)
{
    switch (QChar::category(c)) {
    case QChar::Letter_Uppercase:
    case QChar::Letter_Lowercase:
    case QChar::Letter_Titlecase:
    case QChar::Letter_Modifier:
    case QChar::Letter_Other:
    case QChar::Number_DecimalDigit:
    case QChar::Number_Letter:
    case QChar::Number_Other:
    case QChar::Other_PrivateUse:
    case QChar::Mark_NonSpacing: return true;
    default: return false;
    }
}

// One character as the index compares it: without accents, case folded.
QString fold(char32_t c)
{
    QString folded = QString::fromUcs4(&c, 1).normalized(QString::NormalizationForm_D);
    folded.removeIf([](QChar part) { return part.category() == QChar::Mark_NonSpacing; });
    return folded.toCaseFolded();
}

struct Character
{
    qsizetype start;
    qsizetype end;
    qsizetype foldedEnd; // the word's folded length up to and with this character
};

struct Word
{
    QList<Character> characters;
    QString folded;
};

QList<Word> wordsOf(const QString &text)
{
    QList<Word> words;
    bool inWord = false;
    for (qsizetype i = 0; i < text.size();) {
        char32_t c = text.at(i).unicode();
        qsizetype next = i + 1;
        if (text.at(i).isHighSurrogate() && next < text.size() && text.at(next).isLowSurrogate()) {
            c = QChar::surrogateToUcs4(text.at(i), text.at(next));
            ++next;
        }
        if (!isWordCharacter(c)) {
            inWord = false;
        } else {
            if (!inWord)
                words.append(Word {});
            inWord = true;
            Word &word = words.last();
            word.folded += fold(c);
            word.characters.append({ i, next, word.folded.size() });
        }
        i = next;
    }
    return words;
}

} // namespace

QList<TextRange> matchRanges(const QString &text, const QString &query)
{
    static const QRegularExpression separators(QStringLiteral("[^\\p{L}\\p{N}]+"));
    QStringList typed;
    for (const QString &word : query.split(separators, Qt::SkipEmptyParts)) {
        QString folded;
        for (const Word &part : wordsOf(word))
            folded += part.folded;
        if (!folded.isEmpty())
            typed.append(folded);
    }
    if (typed.isEmpty())
        return {};
    const QString &last = typed.last();
    QList<TextRange> ranges;
    for (const Word &word : wordsOf(text)) {
        const qsizetype start = word.characters.first().start;
        if (typed.contains(word.folded)) {
            ranges.append({ start, word.characters.last().end - start });
        } else if (word.folded.startsWith(last)) {
            // The typed start of the word, and the marks that belong to its last character.
            qsizetype end = 0;
            for (const Character &character : word.characters) {
                if (end > 0 && character.foldedEnd > last.size())
                    break;
                end = character.end;
            }
            ranges.append({ start, end - start });
        }
    }
    return ranges;
}

SearchModel::SearchModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

void SearchModel::setResults(const QString &query, const QList<Chat::Message> &messages)
{
    beginResetModel();
    m_query = query;
    m_messages = messages;
    m_highlights.clear();
    for (const Chat::Message &message : m_messages)
        m_highlights.append(matchRanges(message.text, query));
    endResetModel();
}

void SearchModel::clear()
{
    setResults({}, {});
}

void SearchModel::updateMessage(const Chat::Message &message)
{
    for (qsizetype row = 0; row < m_messages.size(); ++row) {
        if (m_messages.at(row).id != message.id || m_messages.at(row).rev > message.rev)
            continue;
        if (message.deleted) {
            beginRemoveRows({}, int(row), int(row));
            m_messages.removeAt(row);
            m_highlights.removeAt(row);
            endRemoveRows();
        } else {
            m_messages[row] = message;
            m_highlights[row] = matchRanges(message.text, m_query);
            Q_EMIT dataChanged(index(int(row)), index(int(row)));
        }
        return;
    }
}

int SearchModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_messages.size());
}

QVariant SearchModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Chat::Message &message = m_messages.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case TextRole: return message.text;
    case RoomRole: return message.room;
    case RoomTitleRole: return m_roomTitle ? m_roomTitle(message.room) : QStringLiteral("#") + message.room;
    case SeqRole: return message.seq;
    case IdRole: return message.id;
    case FromRole: return message.from;
    case TimestampRole: return message.ts;
    case HighlightsRole: return QVariant::fromValue(m_highlights.at(index.row()));
    case Qt::AccessibleTextRole:
        return tr("%1 in %2: %3").arg(message.from, data(index, RoomTitleRole).toString(), message.text);
    default: return {};
    }
}

QHash<int, QByteArray> SearchModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(RoomRole, "room");
    names.insert(RoomTitleRole, "roomTitle");
    names.insert(SeqRole, "seq");
    names.insert(IdRole, "id");
    names.insert(FromRole, "from");
    names.insert(TimestampRole, "timestamp");
    names.insert(TextRole, "text");
    names.insert(HighlightsRole, "highlights");
    return names;
}

} // namespace Confab::Desktop
