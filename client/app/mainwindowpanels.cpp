// MainWindow: the side panels — rooms (with the user's name, status and the add button)
// on the left, the room's members on the right, and the search panel that takes the
// members' place while it is open.
#include "chatsession.h"
#include "composer.h"
#include "connectionbanner.h"
#include "conversationview.h"
#include "helpmenu.h"
#include "idlewatcher.h"
#include "mainwindow.h"
#include "roomnotificationsmenu.h"

#include "memberdelegate.h"
#include "membermodel.h"
#include "roomdelegate.h"
#include "roomlistmodel.h"
#include "roomnotificationsmenu.h"
#include "roomswitcher.h"
#include "searchpanel.h"
#include "theme.h"
#include "trayicon.h"
#include "typingtracker.h"
#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPainter>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStatusBar>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace Confab::Desktop {

using Client::ChatSession;
using Client::MemberModel;
using Client::RoomListModel;

QLabel *MainWindow::panelHeader(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    label->setContentsMargins(12, 10, 12, 6);
    return label;
}

QWidget *MainWindow::createRoomPanel()
{
    auto *panel = new QWidget(this);
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);

    auto *header = new QHBoxLayout;
    header->setContentsMargins(0, 0, 8, 0);
    auto *user = panelHeader(m_session->user(), panel);
    user->setObjectName(QStringLiteral("userLabel"));
    header->addWidget(user, 1);
    auto *add = new QToolButton(panel);
    add->setObjectName(QStringLiteral("addRoomButton"));
    add->setIcon(icon(QStringLiteral("new-room")));
    add->setToolTip(tr("Create or join a room"));
    add->setAutoRaise(true);
    add->setPopupMode(QToolButton::InstantPopup);
    add->setAccessibleName(tr("Create or join a room"));
    header->addWidget(add);
    layout->addLayout(header);

    m_status->setObjectName(QStringLiteral("statusBox"));
    m_status->setAccessibleName(tr("Your status"));
    for (const QString &status : { QStringLiteral("online"), QStringLiteral("away"), QStringLiteral("busy") }) {
        QPixmap dot(12, 12);
        dot.fill(Qt::transparent);
        QPainter painter(&dot);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(Qt::NoPen);
        painter.setBrush(presenceColor(status));
        painter.drawEllipse(1, 1, 10, 10);
        m_status->addItem(QIcon(dot), presenceText(status), status);
    }
    connect(m_status, &QComboBox::activated, this,
            [this](int index) { m_session->setPresence(m_status->itemData(index).toString()); });
    // Follows the session too: away after idle, and back.
    connect(m_session, &ChatSession::presenceChanged, this, &MainWindow::showStatus);
    showStatus(m_session->presence());
    auto *statusRow = new QHBoxLayout;
    statusRow->setContentsMargins(10, 0, 10, 6);
    statusRow->addWidget(m_status);
    layout->addLayout(statusRow);

    m_roomList->setObjectName(QStringLiteral("roomList"));
    m_roomList->setModel(m_rooms);
    m_roomList->setItemDelegate(new RoomDelegate(m_roomList));
    m_roomList->setFrameShape(QFrame::NoFrame);
    m_roomList->setAccessibleName(tr("Rooms"));
    m_roomList->setUniformItemSizes(true);
    m_roomList->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // names elide instead
    m_roomList->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_roomList, &QListView::customContextMenuRequested, this, [this](const QPoint &position) {
        const QModelIndex index = m_roomList->indexAt(position);
        if (!index.isValid())
            return;
        const QString room = index.data(RoomListModel::NameRole).toString();
        const bool isDirect = index.data(RoomListModel::IsDirectRole).toBool();
        auto *menu = new QMenu(this);
        menu->setObjectName(QStringLiteral("roomContextMenu"));
        menu->setAttribute(Qt::WA_DeleteOnClose);
        addNotificationActions(menu, m_settings, room, isDirect);
        if (!isDirect) { // direct-message rooms cannot be left
            menu->addSeparator();
            menu->addAction(tr("Leave %1…").arg(index.data(RoomListModel::TitleRole).toString()), this,
                            [this, room] { confirmLeaveRoom(room); });
        }
        menu->popup(m_roomList->viewport()->mapToGlobal(position));
    });
    connect(m_roomList->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) {
                if (current.isValid())
                    selectRoom(current.data(RoomListModel::NameRole).toString());
            });
    layout->addWidget(m_roomList, 1);
    panel->setMinimumWidth(170);
    return panel;
}

QWidget *MainWindow::createMemberPanel()
{
    auto *panel = new QWidget(this);
    panel->setObjectName(QStringLiteral("memberPanel"));
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_memberHeader);
    m_memberOrder->setDynamicSortFilter(true);
    m_memberList->setObjectName(QStringLiteral("memberList"));
    m_memberList->setModel(m_memberOrder);
    m_memberList->setItemDelegate(new MemberDelegate(m_memberList));
    m_memberList->setFrameShape(QFrame::NoFrame);
    m_memberList->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_memberList->setAccessibleName(tr("Members"));
    m_memberList->setContextMenuPolicy(Qt::CustomContextMenu);
    m_memberList->setToolTip(tr("Double-click a member for a direct message"));
    connect(m_memberList, &QListView::activated, this,
            [this](const QModelIndex &index) { openDirectMessage(index.data(MemberModel::UserRole).toString()); });
    connect(m_memberList, &QListView::customContextMenuRequested, this, [this](const QPoint &position) {
        const QModelIndex index = m_memberList->indexAt(position);
        const QString user = index.data(MemberModel::UserRole).toString();
        if (!index.isValid() || user == m_session->user())
            return;
        auto *menu = new QMenu(this);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->addAction(tr("Message %1").arg(user), this, [this, user] { openDirectMessage(user); });
        menu->popup(m_memberList->viewport()->mapToGlobal(position));
    });
    layout->addWidget(m_memberList, 1);
    panel->setMinimumWidth(150);
    return panel;
}

QString MainWindow::roomTitle(const QString &room) const
{
    const int row = m_rooms->rowOf(room);
    return row >= 0 ? m_rooms->index(row).data(RoomListModel::TitleRole).toString() : QStringLiteral("#") + room;
}

void MainWindow::setUpSearch()
{
    connect(m_search, &SearchPanel::closeRequested, this, &MainWindow::closeSearch);
    connect(m_search, &SearchPanel::messageChosen, this, [this](const QString &room, qint64 seq) {
        // Going through the results from the field (or the list) keeps the focus there.
        const QPointer<QWidget> focus = QApplication::focusWidget();
        jumpToMessage(room, seq);
        if (focus && m_search->isAncestorOf(focus))
            focus->setFocus(Qt::OtherFocusReason);
    });
    connect(m_conversation, &ConversationView::messageLinkActivated, this, &MainWindow::jumpToMessage);
}

void MainWindow::openSearch(SearchPanel::Scope scope)
{
    if (m_search->isHidden()) {
        // The panel takes the members' place, and what more it needs from the conversation.
        const QList<int> sizes = m_splitter->sizes();
        const bool members = !m_memberPanel->isHidden();
        if (members && sizes.value(2) > 0)
            m_membersWidth = sizes.value(2);
        const int available = sizes.value(1) + (members ? sizes.value(2) : 0);
        const int wanted = std::clamp(width() * 30 / 100, 280, 420);
        const int panel
            = std::max(m_search->minimumWidth(), std::min(wanted, available - m_conversation->minimumWidth()));
        m_memberPanel->hide();
        m_search->show();
        m_splitter->setSizes({ sizes.value(0), std::max(0, available - panel), 0, panel });
    }
    m_search->open(scope, currentRoom());
}

void MainWindow::closeSearch()
{
    if (m_search->isHidden())
        return;
    const QList<int> sizes = m_splitter->sizes();
    const int available = sizes.value(1) + sizes.value(3);
    const bool members = m_showMembers->isChecked();
    m_search->hide();
    m_memberPanel->setVisible(members);
    const int memberWidth
        = members ? std::min(m_membersWidth, std::max(0, available - m_conversation->minimumWidth())) : 0;
    m_splitter->setSizes({ sizes.value(0), available - memberWidth, memberWidth, 0 });
    m_conversation->composer()->setFocus();
}

} // namespace Confab::Desktop
