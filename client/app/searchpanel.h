// The search panel at the right of the conversation (Ctrl+F in the room, Ctrl+Shift+F in
// every room): a field that searches as the user types (a moment after the last key; an
// answer to an older query is dropped), the results newest first with the matched words
// marked, Up/Down through them from the field and Enter (or a click) to go to the message.
// Offline it answers from this device's cache, and says so when the server did not answer.
#pragma once

#include <QTimer>
#include <QWidget>

#include <functional>

class QLabel;
class QLineEdit;
class QListView;
class QToolButton;

namespace Confab::Client {
class ChatSession;
}

namespace Confab::Desktop {

class SearchDelegate;
class SearchModel;

class SearchPanel : public QWidget
{
    Q_OBJECT
public:
    enum class Scope { Room, Everywhere };
    static constexpr int DebounceMs = 250;
    using RoomTitle = std::function<QString(const QString &room)>;

    SearchPanel(Client::ChatSession *session, RoomTitle roomTitle, QWidget *parent = nullptr);

    // Focuses the field (its text selected) and searches in that scope; the room is the
    // current one, searched in Room scope.
    void open(Scope scope, const QString &room);
    // The user switched rooms: a room search follows.
    void setRoom(const QString &room);
    Scope scope() const { return m_scope; }
    QString room() const { return m_room; }

    QLineEdit *field() const { return m_field; }
    QListView *results() const { return m_list; }
    SearchModel *model() const { return m_model; }
    SearchDelegate *delegate() const { return m_delegate; }
    // "Searching…", "No messages found", or a hint; empty when results are listed.
    QString statusText() const;
    // The quiet line under the results when the server did not answer.
    bool isLocalOnly() const;

Q_SIGNALS:
    void messageChosen(const QString &room, qint64 seq);
    void closeRequested();
    // A query went out (after the pause), and its answer was listed.
    void searchStarted(const QString &query);
    void resultsShown(const QString &query);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void setScope(Scope scope);
    void queryEdited();
    void search();
    void showStatus(const QString &text);
    void choose(const QModelIndex &index);
    void updateScopeButtons();

    Client::ChatSession *m_session;
    RoomTitle m_roomTitle;
    Scope m_scope = Scope::Room;
    QString m_room;
    quint64 m_generation = 0; // answers to an older query than the newest are dropped
    QTimer m_debounce;
    QLabel *m_title;
    QToolButton *m_close;
    QLineEdit *m_field;
    QToolButton *m_roomScope;
    QToolButton *m_everywhereScope;
    QLabel *m_status;
    QListView *m_list;
    SearchModel *m_model;
    SearchDelegate *m_delegate;
    QLabel *m_localNote;
};

} // namespace Confab::Desktop
