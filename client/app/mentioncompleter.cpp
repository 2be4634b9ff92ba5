#include "mentioncompleter.h"

#include "memberdelegate.h"
#include "membermodel.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QScreen>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QTextBlock>

namespace Confab::Desktop {

using Client::MemberModel;

MentionCompleter::MentionCompleter(QPlainTextEdit *editor)
    : QObject(editor)
    , m_editor(editor)
    , m_candidates(new QSortFilterProxyModel(this))
    , m_completer(new QCompleter(this))
{
    m_candidates->setFilterRole(MemberModel::UserRole);
    m_candidates->setSortRole(MemberModel::UserRole);
    m_candidates->setSortCaseSensitivity(Qt::CaseInsensitive);
    m_candidates->setDynamicSortFilter(true);
    m_completer->setModel(m_candidates);
    m_completer->setCompletionRole(MemberModel::UserRole);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    // Sorted the same way, so QCompleter finds the prefix by binary search.
    m_completer->setModelSorting(QCompleter::CaseInsensitivelySortedModel);
    m_completer->setCompletionMode(QCompleter::PopupCompletion);
    m_completer->setWrapAround(false);
    m_completer->setWidget(editor);
    m_completer->popup()->setObjectName(QStringLiteral("mentionList"));
    // As in the member list: the presence dot, the name, the status (and role) under it.
    m_completer->popup()->setItemDelegate(new MemberDelegate(m_completer->popup()));
    connect(m_completer, qOverload<const QString &>(&QCompleter::activated), this, &MentionCompleter::complete);
    connect(editor, &QPlainTextEdit::cursorPositionChanged, this, &MentionCompleter::closeIfOutside);
}

void MentionCompleter::setMembers(QAbstractItemModel *members, const QString &ownUser)
{
    m_completer->popup()->hide();
    m_candidates->setSourceModel(members);
    // Everyone but the user: mentioning oneself notifies nobody.
    m_candidates->setFilterRegularExpression(
        QRegularExpression(QStringLiteral("^(?!%1$)").arg(QRegularExpression::escape(ownUser)),
                           QRegularExpression::CaseInsensitiveOption));
    m_candidates->sort(0);
}

bool MentionCompleter::isActive() const
{
    return m_completer->popup()->isVisible();
}

int MentionCompleter::mentionStart(QString *typed) const
{
    // "@" at a word start and name characters up to the cursor (as messages highlight them).
    static const QRegularExpression partial(QStringLiteral("(?<![\\w@])@([\\w.-]*)$"));
    const QTextCursor cursor = m_editor->textCursor();
    if (cursor.hasSelection())
        return -1;
    const QTextBlock block = cursor.block();
    const QString before = block.text().left(cursor.positionInBlock());
    const QRegularExpressionMatch match = partial.match(before);
    if (!match.hasMatch())
        return -1;
    if (typed)
        *typed = match.captured(1);
    return block.position() + int(match.capturedStart());
}

void MentionCompleter::offerCompletions()
{
    QString typed;
    if (!m_candidates->sourceModel() || mentionStart(&typed) < 0) {
        m_completer->popup()->hide();
        return;
    }
    m_completer->setCompletionPrefix(typed);
    if (m_completer->completionCount() == 0) {
        m_completer->popup()->hide();
        return;
    }
    QAbstractItemView *list = m_completer->popup();
    // cursorRect is in the viewport's coordinates; complete() takes the editor's.
    QRect at = m_editor->cursorRect().translated(m_editor->viewport()->pos());
    at.setWidth(std::max(220, list->sizeHintForColumn(0) + list->verticalScrollBar()->sizeHint().width()));
    m_completer->complete(at);
    // Above the line, as the composer sits at the bottom of the window: the list covers
    // the conversation rather than running off below it (below when there is no room).
    const QPoint top = m_editor->mapToGlobal(at.topLeft());
    const QScreen *screen = m_editor->screen();
    if (screen && top.y() - list->height() >= screen->availableGeometry().top())
        list->move(top.x(), top.y() - list->height());
    // The first match is chosen already: Tab or Enter takes it without arrowing down.
    list->setCurrentIndex(m_completer->completionModel()->index(0, 0));
}

void MentionCompleter::closeIfOutside()
{
    if (isActive() && mentionStart() < 0)
        m_completer->popup()->hide();
}

void MentionCompleter::complete(const QString &user)
{
    const int start = mentionStart();
    if (start < 0)
        return;
    // The whole name goes, also what follows the cursor ("@al|ice" completes to "@alice").
    static const QRegularExpression nameRest(QStringLiteral("^[\\w.-]*"));
    QTextCursor cursor = m_editor->textCursor();
    const QString after = cursor.block().text().mid(cursor.positionInBlock());
    const int rest = int(nameRest.match(after).capturedLength());
    const bool spaceFollows = rest < after.size() && after.at(rest).isSpace();
    const int end = cursor.position() + rest;
    cursor.setPosition(start);
    cursor.setPosition(end, QTextCursor::KeepAnchor);
    cursor.insertText(QLatin1Char('@') + user + (spaceFollows ? QString() : QStringLiteral(" ")));
    m_editor->setTextCursor(cursor);
}

} // namespace Confab::Desktop
