// The room's messages whose files are still on their way, above the composer: one line a
// file with its progress, "waiting for the connection" while offline, and a button that
// cancels the message (its upload stops and it leaves the outbox: the outbox sends a
// message whole or not at all). Follows the session's outbox, so messages queued in an
// earlier run show too.
#pragma once

#include <QHash>
#include <QPointer>
#include <QWidget>

class QLabel;
class QProgressBar;
class QVBoxLayout;

namespace Confab::Client {
class ChatSession;
}

namespace Confab::Desktop {

class UploadsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit UploadsPanel(Client::ChatSession *session, QWidget *parent = nullptr);

    void setRoom(const QString &room);
    // Lines shown (a line a file still to send).
    int lineCount() const { return int(m_lines.size()); }

private:
    struct Line
    {
        QPointer<QProgressBar> progress;
        QPointer<QLabel> status;
    };
    void applyProgress(const Line &line, qint64 sent, qint64 total);
    void rebuild();
    void showProgress(const QString &clientId, int index, qint64 sent, qint64 total);
    QString waitingText() const;

    Client::ChatSession *m_session;
    QString m_room;
    static constexpr int MaxNameWidth = 260;

    QVBoxLayout *m_layout;
    QWidget *m_rows = nullptr;    // made anew by rebuild
    QHash<QString, Line> m_lines; // by "<clientId>/<index>"
    // The last progress heard per line, so a rebuild (another message queued, the
    // connection back) does not show an upload under way as not started.
    QHash<QString, std::pair<qint64, qint64>> m_progress;
};

} // namespace Confab::Desktop
