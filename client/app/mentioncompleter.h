// @mention completion in the composer: "@" and the start of a name offer the room's
// members whose names start with it (any case, the user themself left out, by name);
// Tab, Enter or a click puts "@name " in place of what was typed, Up and Down move in
// the list, Esc closes it. The list is Qt's QCompleter popup, placed above the cursor,
// its rows painted as in the member list (presence, status, role).
#pragma once

#include <QObject>

class QAbstractItemModel;
class QCompleter;
class QPlainTextEdit;
class QSortFilterProxyModel;

namespace Confab::Desktop {

class MentionCompleter : public QObject
{
    Q_OBJECT
public:
    explicit MentionCompleter(QPlainTextEdit *editor);

    // The room's members: a model with names in Client::MemberModel::UserRole. The
    // signed-in user is not offered.
    void setMembers(QAbstractItemModel *members, const QString &ownUser);
    // The list is showing: Tab, Enter and Esc are the completer's, not the editor's.
    bool isActive() const;
    QCompleter *completer() const { return m_completer; }
    // After the user typed: the "@name" being typed at the cursor, if any, and the list
    // for it. Text set by the program (a draft put back) offers nothing.
    void offerCompletions();

private:
    // The cursor left the "@name": no list.
    void closeIfOutside();
    void complete(const QString &user);
    // Where the "@" of the name being typed starts, or -1.
    int mentionStart(QString *typed = nullptr) const;

    QPlainTextEdit *m_editor;
    QSortFilterProxyModel *m_candidates;
    QCompleter *m_completer;
};

} // namespace Confab::Desktop
