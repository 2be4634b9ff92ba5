#include "roomdirectorydialog.h"

#include "chatsession.h"
#include "theme.h"

#include "chat/validation.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>

namespace Confab::Desktop {

namespace {
constexpr int RoomNameRole = Qt::UserRole + 1;
constexpr int DebounceMs = 250; // one request per pause in typing
} // namespace

QString activityText(qint64 lastActivityMs)
{
    if (lastActivityMs <= 0)
        return {};
    const QDateTime then = QDateTime::fromMSecsSinceEpoch(lastActivityMs);
    const qint64 minutes = then.secsTo(QDateTime::currentDateTime()) / 60;
    if (minutes < 1)
        return RoomDirectoryDialog::tr("active just now");
    if (minutes < 60)
        return minutes == 1 ? RoomDirectoryDialog::tr("active a minute ago")
                            : RoomDirectoryDialog::tr("active %1 min ago").arg(minutes);
    const qint64 days = then.date().daysTo(QDate::currentDate());
    if (days == 0)
        return RoomDirectoryDialog::tr("active today at %1").arg(QLocale().toString(then.time(), QLocale::ShortFormat));
    if (days == 1)
        return RoomDirectoryDialog::tr("active yesterday");
    return RoomDirectoryDialog::tr("active %1").arg(QLocale().toString(then.date(), QLocale::ShortFormat));
}

RoomDirectoryDialog::RoomDirectoryDialog(Client::ChatSession *session, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_query(new QLineEdit(this))
    , m_rooms(new QListWidget(this))
    , m_status(new QLabel(this))
    , m_join(new QPushButton(tr("Join"), this))
{
    setObjectName(QStringLiteral("roomDirectoryDialog"));
    setWindowTitle(tr("Browse Rooms"));
    m_query->setObjectName(QStringLiteral("directoryQuery"));
    m_query->setPlaceholderText(tr("Search public rooms by name or topic, or type a room's name"));
    m_query->setClearButtonEnabled(true);
    m_rooms->setObjectName(QStringLiteral("directoryRooms"));
    m_rooms->setAlternatingRowColors(true);
    m_rooms->setWordWrap(true);
    m_status->setObjectName(QStringLiteral("directoryStatus"));
    m_status->setWordWrap(true);
    m_join->setObjectName(QStringLiteral("directoryJoinButton"));
    m_join->setDefault(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    buttons->addButton(m_join, QDialogButtonBox::AcceptRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_join, &QPushButton::clicked, this, &RoomDirectoryDialog::join);
    connect(m_rooms, &QListWidget::itemActivated, this, &RoomDirectoryDialog::join);
    connect(m_rooms, &QListWidget::currentRowChanged, this, &RoomDirectoryDialog::updateJoinButton);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_query);
    layout->addWidget(m_rooms, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(520, 440);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(DebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &RoomDirectoryDialog::search);
    connect(m_query, &QLineEdit::textChanged, this, [this] { m_debounce.start(); });
    search();
}

QString RoomDirectoryDialog::selectedRoom() const
{
    const QListWidgetItem *item = m_rooms->currentItem();
    return item ? item->data(RoomNameRole).toString() : QString();
}

void RoomDirectoryDialog::search()
{
    const int asked = ++m_asked;
    const QString query = m_query->text().trimmed();
    m_status->setText(tr("Searching…"));
    QPointer<RoomDirectoryDialog> self(this);
    m_session->fetchDirectory({ query, {} }, [self, asked, query](const Chat::Result<Chat::DirectoryAnswer> &answer) {
        if (!self || asked != self->m_asked)
            return;
        if (!answer) {
            self->showRooms(query, {});
            self->m_status->setText(answer.error().code == Chat::ErrorCode::Unavailable
                                        ? tr("The server cannot be reached right now.")
                                        : answer.error().message);
            return;
        }
        self->showRooms(query, answer->rooms);
    });
}

void RoomDirectoryDialog::showRooms(const QString &query, const QList<Chat::DirectoryEntry> &rooms)
{
    m_rooms->clear();
    QString typed = query.startsWith(QLatin1Char('#')) ? query.mid(1) : query;
    bool typedListed = false;
    for (const Chat::DirectoryEntry &room : rooms) {
        QStringList details { room.memberCount == 1 ? tr("1 member") : tr("%1 members").arg(room.memberCount) };
        if (const QString activity = activityText(room.lastActivity); !activity.isEmpty())
            details.append(activity);
        if (m_isJoined && m_isJoined(room.name))
            details.append(tr("joined"));
        QString text = QStringLiteral("#") + room.name;
        if (!room.topic.isEmpty())
            text += QStringLiteral(" — ") + room.topic;
        auto *item = new QListWidgetItem(text + QLatin1Char('\n') + details.join(QStringLiteral(" · ")), m_rooms);
        item->setData(RoomNameRole, room.name);
        item->setIcon(icon(QStringLiteral("room")));
        typedListed = typedListed || room.name == typed;
    }
    // A name typed in full that the directory does not list (private, or not public yet).
    if (!typedListed && Chat::isValidRoomName(typed)) {
        auto *item = new QListWidgetItem(tr("Join #%1 by name").arg(typed), m_rooms);
        item->setData(RoomNameRole, typed);
        item->setIcon(icon(QStringLiteral("room")));
    }
    m_status->setText(rooms.isEmpty()         ? (query.isEmpty() ? tr("No public rooms yet: create one.")
                                                                 : tr("No public room matches “%1”.").arg(query))
                          : rooms.size() == 1 ? tr("1 public room")
                                              : tr("%1 public rooms").arg(rooms.size()));
    if (m_rooms->count() > 0)
        m_rooms->setCurrentRow(0);
    updateJoinButton();
}

void RoomDirectoryDialog::join()
{
    const QString room = selectedRoom();
    if (room.isEmpty())
        return;
    Q_EMIT joinRequested(room);
    accept();
}

void RoomDirectoryDialog::updateJoinButton()
{
    const QString room = selectedRoom();
    m_join->setEnabled(!room.isEmpty());
    const bool joined = !room.isEmpty() && m_isJoined && m_isJoined(room);
    m_join->setText(room.isEmpty() ? tr("Join") : joined ? tr("Open #%1").arg(room) : tr("Join #%1").arg(room));
}

} // namespace Confab::Desktop
