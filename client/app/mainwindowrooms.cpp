// MainWindow: creating, joining, browsing, running and leaving rooms, and opening direct
// messages — the dialogs, the requests, and what the window says when the server refuses.
#include "mainwindow.h"

#include "chatsession.h"
#include "conversationview.h"
#include "membermodel.h"
#include "newroomdialog.h"
#include "roomdirectorydialog.h"
#include "roomlistmodel.h"
#include "roomsettingsdialog.h"

#include <QAbstractButton>
#include <QInputDialog>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>

namespace Confab::Desktop {

using Client::ChatSession;
using Client::RoomListModel;

void MainWindow::confirmLeaveRoom(const QString &room)
{
    const int row = m_rooms->rowOf(room);
    if (row < 0 || m_rooms->index(row).data(RoomListModel::IsDirectRole).toBool())
        return;
    const QString title = m_rooms->index(row).data(RoomListModel::TitleRole).toString();
    auto *box = new QMessageBox(QMessageBox::Question, tr("Leave %1?").arg(title),
                                tr("Leave %1? It disappears from your rooms; you can join it again later.").arg(title),
                                QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("leaveRoomConfirmation"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->button(QMessageBox::Yes)->setText(tr("Leave"));
    box->setDefaultButton(QMessageBox::Cancel);
    connect(box, &QMessageBox::buttonClicked, this, [this, box, room](QAbstractButton *button) {
        if (box->standardButton(button) == QMessageBox::Yes)
            leaveRoom(room);
    });
    box->open();
}

void MainWindow::leaveRoom(const QString &room)
{
    QPointer<MainWindow> self(this);
    m_session->leaveRoom(room, [self, room](const Chat::Result<Chat::Done> &answer) {
        if (!self)
            return;
        if (!answer) {
            const QString reason = answer.error().code == Chat::ErrorCode::Unavailable
                ? tr("the server cannot be reached right now")
                : answer.error().message;
            return self->showMessage(tr("Could not leave #%1: %2").arg(room, reason));
        }
        const bool wasCurrent = room == self->currentRoom();
        const int row = self->m_rooms->rowOf(room);
        self->m_rooms->removeRoom(room);
        if (wasCurrent)
            self->selectNearRow(row);
        self->showMessage(tr("You left #%1.").arg(room));
    });
}

void MainWindow::askForRoom(bool create)
{
    if (create) {
        auto *dialog = new NewRoomDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &NewRoomDialog::createRequested, this, &MainWindow::createRoom);
        dialog->open();
        return;
    }
    auto *dialog = new QInputDialog(this);
    dialog->setObjectName(QStringLiteral("joinRoomDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Join Room"));
    dialog->setLabelText(tr("Name of the room to join:"));
    dialog->setOkButtonText(tr("Join"));
    connect(dialog, &QInputDialog::textValueSelected, this, [this](const QString &name) {
        QString room = name.trimmed();
        if (room.startsWith(QLatin1Char('#')))
            room.remove(0, 1);
        if (!room.isEmpty())
            createOrJoin(room, false);
    });
    dialog->open();
    // Wide enough that the window manager does not cut the title ("Join R…Confab"). The
    // dialog's layout sets its minimum size, so the width goes on the field it holds.
    const int width
        = std::max(380, fontMetrics().horizontalAdvance(dialog->windowTitle() + QStringLiteral(" — Confab")) + 160);
    if (auto *field = dialog->findChild<QLineEdit *>())
        field->setMinimumWidth(width - 40);
}

void MainWindow::browseRooms()
{
    auto *dialog = new RoomDirectoryDialog(m_session, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setJoinedCheck([this](const QString &room) { return m_rooms->rowOf(room) >= 0; });
    connect(dialog, &RoomDirectoryDialog::joinRequested, this, [this](const QString &room) {
        if (m_rooms->rowOf(room) >= 0)
            return selectRoom(room); // in it already
        createOrJoin(room, false);
    });
    dialog->open();
}

void MainWindow::openRoomSettings()
{
    if (!m_members || m_members->room() != currentRoom())
        return;
    auto *dialog = new RoomSettingsDialog(m_session, m_members, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // The member list it shows goes when the room changes: so does the dialog.
    connect(m_members, &QObject::destroyed, dialog, &QDialog::close);
    m_members->refresh();
    dialog->open();
}

void MainWindow::createOrJoin(const QString &room, bool create)
{
    if (create)
        return createRoom({ room, {} });
    QPointer<MainWindow> self(this);
    m_session->joinRoom(room, [self, room](const Chat::Result<Chat::JoinRoomAnswer> &answer) {
        if (self)
            self->roomOpened(room, false, answer ? std::nullopt : std::optional(answer.error()));
    });
}

void MainWindow::createRoom(const Chat::CreateRoomRequest &request)
{
    QPointer<MainWindow> self(this);
    m_session->createRoom(request, [self, room = request.room](const Chat::Result<Chat::RoomAnswer> &answer) {
        if (self)
            self->roomOpened(room, true, answer ? std::nullopt : std::optional(answer.error()));
    });
}

void MainWindow::roomOpened(const QString &room, bool created, const std::optional<Chat::Error> &error)
{
    if (error) {
        QString reason = error->message;
        if (error->code == Chat::ErrorCode::Unavailable)
            reason = tr("the server cannot be reached right now");
        else if (error->code == Chat::ErrorCode::Conflict)
            reason = tr("a room with that name exists; join it instead");
        else if (error->code == Chat::ErrorCode::NotFound)
            reason = tr("there is no such room; create it instead");
        showMessage(created ? tr("Could not create #%1: %2").arg(room, reason)
                            : tr("Could not join #%1: %2").arg(room, reason));
        return;
    }
    m_rooms->addRoom(room);
    selectRoom(room);
}

void MainWindow::openDirectMessage(const QString &user)
{
    if (user.isEmpty() || user == m_session->user())
        return;
    QPointer<MainWindow> self(this);
    m_session->openDirect(user, [self, user](const Chat::Result<Chat::RoomAnswer> &answer) {
        if (!self)
            return;
        if (!answer || answer->room.name.isEmpty())
            return self->showMessage(tr("Could not open a conversation with %1.").arg(user));
        self->m_rooms->addRoom(answer->room.name);
        self->selectRoom(answer->room.name);
    });
}

void MainWindow::jumpToMessage(const QString &room, qint64 seq)
{
    if (room.isEmpty() || seq <= 0)
        return;
    if (m_rooms->rowOf(room) < 0)
        return showMessage(tr("That message is in #%1, which you have not joined.").arg(room));
    selectRoom(room);
    m_conversation->showMessage(seq);
}

} // namespace Confab::Desktop
