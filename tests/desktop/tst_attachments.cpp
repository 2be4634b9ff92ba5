// Files from the composer, offscreen against a real confabd with bob as a second user: a
// picture pasted from the clipboard is uploaded with a thumbnail made here and shows inline
// at its fitted size (drawn, not a placeholder); the paper clip attaches what the chooser
// picks and a chip can be taken off again; files dropped on the conversation are attached;
// while offline a message with files waits (the uploads panel says so) and goes when the
// server is back; cancelling an upload in flight drops its message; a click on a picture
// opens the viewer, which zooms and saves.
#include "attachmentchips.h"
#include "attachmentfiles.h"
#include "attachmenttray.h"
#include "chatsession.h"
#include "composer.h"
#include "confabdprocess.h"
#include "conversationview.h"
#include "desktopapp.h"
#include "imagecache.h"
#include "imageviewer.h"
#include "mainwindow.h"
#include "messagedelegate.h"
#include "messagelistview.h"
#include "messagemodel.h"
#include "uploadspanel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDropEvent>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QInputDialog>
#include <QLabel>
#include <QMimeData>
#include <QPainter>
#include <QProgressBar>
#include <QScopeGuard>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace Confab;
using Client::ChatSession;
using Client::MessageModel;

class tst_Attachments : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void aPastedPictureIsUploadedWithAThumbnailAndShownInline();
    void clickingAPictureOpensTheViewer();
    void theAttachButtonAttachesWhatIsChosen();
    void droppedFilesAreAttached();
    void offlineTheMessageWaitsAndGoesWhenTheServerIsBack();
    void cancellingAnUploadDropsItsMessage();
    void aFileTheServerCutsOffFailsInsteadOfRetryingForever();
    void cleanupTestCase();

private:
    Desktop::MainWindow *window() const { return m_app->mainWindow(); }
    Desktop::ConversationView *conversation() const { return window()->conversation(); }
    MessageModel *messages() const { return conversation()->messages(); }
    Desktop::Composer *composer() const { return conversation()->composer(); }
    Desktop::MessageListView *list() const
    {
        return qobject_cast<Desktop::MessageListView *>(conversation()->messageList());
    }
    QModelIndex indexOf(int row) const { return messages()->index(row); }
    // The newest row with this text, -1 when none; stored: only once the server has it.
    int rowOfText(const QString &text, bool stored = false) const;
    QStyleOptionViewItem optionFor(int row) const;
    QVariantMap attachmentOf(int row, int index = 0) const
    {
        return indexOf(row).data(MessageModel::AttachmentsRole).toList().value(index).toMap();
    }
    void activate();
    // A picture of one colour with a darker band, written as PNG.
    QString writePicture(const QString &name, const QSize &size, const QColor &color);
    QString writeFile(const QString &name, const QByteArray &bytes);
    QStringList trayFiles() const { return conversation()->attachmentTray()->files(); }
    // Types the text, presses Enter; the row once the server has the message.
    int send(const QString &text);
    // What bob received with this text.
    QJsonObject receivedByBob(const QSignalSpy &spy, const QString &text) const;

    Testing::ConfabdProcess m_server;
    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<Desktop::DesktopApp> m_app;
    ChatSession m_bob;
    std::unique_ptr<QSignalSpy> m_bobReceived;
    const QString m_room = QStringLiteral("pictures");
    const QColor m_pastedColor { 200, 40, 60 };
};

void tst_Attachments::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.error()));
    m_settings = std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("confab.ini")), QSettings::IniFormat);
    QString error;
    QVERIFY2(m_bob.openLocalStore(m_dir.filePath(QStringLiteral("bob.sqlite")), &error), qPrintable(error));
    m_bob.setServerUrl(m_server.url());
    QSignalSpy synced(&m_bob, &ChatSession::synced);
    connect(&m_bob, &ChatSession::loggedIn, &m_bob, &ChatSession::connectToServer);
    m_bob.registerAccount(QStringLiteral("bob"), QStringLiteral("bob-password"));
    QVERIFY(synced.wait(10000));
    bool created = false;
    m_bob.createRoom({ m_room, {} }, [&](const Chat::Result<Chat::RoomAnswer> &answer) { created = answer.isOk(); });
    QTRY_VERIFY_WITH_TIMEOUT(created, 10000);
    m_bobReceived = std::make_unique<QSignalSpy>(&m_bob, &ChatSession::messageReceived);

    Desktop::DesktopApp::Options options;
    options.dataDir = m_dir.filePath(QStringLiteral("alice"));
    options.serverUrl = m_server.url();
    options.user = QStringLiteral("alice");
    options.password = QStringLiteral("alice-password");
    options.createAccount = true;
    options.window.useTray = false;
    m_app = std::make_unique<Desktop::DesktopApp>(m_settings.get(), options);
    m_app->start();
    QTRY_VERIFY_WITH_TIMEOUT(window(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(m_app->session()->isOnline(), 10000);
    window()->resize(1000, 760);
    window()->show();
    QVERIFY(QTest::qWaitForWindowExposed(window()));
    window()->findChild<QAction *>(QStringLiteral("joinRoomAction"))->trigger();
    QInputDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window()->findChild<QInputDialog *>(QStringLiteral("joinRoomDialog"))));
    dialog->setTextValue(m_room);
    dialog->accept();
    QTRY_COMPARE_WITH_TIMEOUT(window()->currentRoom(), m_room, 10000);
    conversation()->setOpensFiles(false); // no program is started in a test
}

void tst_Attachments::init()
{
    activate();
    composer()->setFocus();
}

void tst_Attachments::cleanupTestCase()
{
    m_app.reset();
}

void tst_Attachments::activate()
{
    window()->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(window()));
}

int tst_Attachments::rowOfText(const QString &text, bool stored) const
{
    if (!messages())
        return -1;
    for (int row = messages()->rowCount() - 1; row >= 0; --row) {
        if (indexOf(row).data(MessageModel::TextRole).toString() == text)
            return !stored || indexOf(row).data(MessageModel::SeqRole).toLongLong() > 0 ? row : -1;
    }
    return -1;
}

QStyleOptionViewItem tst_Attachments::optionFor(int row) const
{
    QStyleOptionViewItem option;
    option.initFrom(list());
    option.font = list()->font();
    option.widget = list();
    option.rect = list()->visualRect(indexOf(row));
    return option;
}

QString tst_Attachments::writePicture(const QString &name, const QSize &size, const QColor &color)
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(color);
    QPainter(&image).fillRect(QRect(0, 0, size.width(), size.height() / 10), color.darker(200));
    const QString path = m_dir.filePath(name);
    return image.save(path, "PNG") ? path : QString();
}

QString tst_Attachments::writeFile(const QString &name, const QByteArray &bytes)
{
    QFile file(m_dir.filePath(name));
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size() ? file.fileName() : QString();
}

int tst_Attachments::send(const QString &text)
{
    composer()->setFocus();
    QTest::keyClicks(composer(), text);
    QTest::keyClick(composer(), Qt::Key_Return);
    if (!QTest::qWaitFor([&] { return rowOfText(text, true) >= 0; }, 20000))
        return -1;
    return rowOfText(text, true);
}

QJsonObject tst_Attachments::receivedByBob(const QSignalSpy &spy, const QString &text) const
{
    for (const QList<QVariant> &arguments : spy) {
        const QJsonObject message = arguments.at(0).toJsonObject();
        if (message.value(QStringLiteral("text")).toString() == text)
            return message;
    }
    return {};
}

// A 1200×800 picture on the clipboard, pasted into the composer: it waits in the tray as a
// PNG beside the local store, goes with the message, and bob receives it with its size and
// a 400×266 thumbnail. Alice's row shows it at 360×240 — painted, not a placeholder — and
// the row is as tall before the picture loads as after.
void tst_Attachments::aPastedPictureIsUploadedWithAThumbnailAndShownInline()
{
    QImage picture(1200, 800, QImage::Format_RGB32);
    picture.fill(m_pastedColor);
    QApplication::clipboard()->setImage(picture);
    composer()->paste();
    QCOMPARE(trayFiles().size(), 1);
    const QString pasted = trayFiles().first();
    QVERIFY(pasted.endsWith(QLatin1String(".png")));
    QCOMPARE(QImage(pasted).size(), picture.size());
    QVERIFY(composer()->toPlainText().isEmpty()); // attached, not written in
    QCOMPARE(conversation()->findChildren<QWidget *>(QStringLiteral("pendingAttachment")).size(), 1);

    const QString text = QStringLiteral("a pasted picture");
    const int row = send(text);
    QVERIFY(row >= 0);
    QVERIFY(trayFiles().isEmpty());
    const QVariantMap shown = attachmentOf(row);
    QCOMPARE(shown.value(QStringLiteral("type")).toString(), QStringLiteral("image/png"));
    QCOMPARE(shown.value(QStringLiteral("width")).toInt(), 1200);
    QCOMPARE(shown.value(QStringLiteral("height")).toInt(), 800);
    const QByteArray thumbnail = shown.value(QStringLiteral("thumbnail")).toString().toLatin1();
    QVERIFY(!thumbnail.isEmpty());
    QVERIFY(thumbnail != shown.value(QStringLiteral("id")).toString().toLatin1());

    // Bob has it as sent, and its thumbnail is the client-made one.
    QTRY_VERIFY_WITH_TIMEOUT(!receivedByBob(*m_bobReceived, text).isEmpty(), 10000);
    const QJsonObject attachment
        = receivedByBob(*m_bobReceived, text).value(QStringLiteral("attachments")).toArray().at(0).toObject();
    QCOMPARE(attachment.value(QStringLiteral("thumbnail")).toString().toLatin1(), thumbnail);
    QCOMPARE(attachment.value(QStringLiteral("width")).toInt(), 1200);
    QString thumbnailPath;
    connect(m_bob.files()->download(thumbnail), &Client::FileDownload::finished, this,
            [&](const Chat::Result<Client::DownloadedFile> &file) { thumbnailPath = file ? file->path : QString(); });
    QTRY_VERIFY_WITH_TIMEOUT(!thumbnailPath.isEmpty(), 10000);
    QCOMPARE(QImage(thumbnailPath).size(), QSize(400, 266));

    // Inline at its fitted size, inside the row, drawn from the thumbnail.
    list()->scrollToBottom();
    const int rowNow = rowOfText(text, true);
    const QStyleOptionViewItem option = optionFor(rowNow);
    auto *delegate = conversation()->delegate();
    const int heightBefore = delegate->sizeHint(option, indexOf(rowNow)).height();
    const QRect image = delegate->attachmentRect(option, indexOf(rowNow), 0);
    QCOMPARE(image.size(), QSize(360, 240));
    QVERIFY(option.rect.contains(image));
    QCOMPARE(delegate->partAt(option, indexOf(rowNow), image.center()), Desktop::MessageDelegate::Part::Attachment);
    const Desktop::ImageCache::Frame frame { 6, QColor(0, 0, 0, 40) };
    QTRY_VERIFY_WITH_TIMEOUT(
        !conversation()->imageCache()->image(attachmentOf(rowNow), image.size(), 1, frame).isNull(), 10000);
    // Framed once, in the cache: rounded corners (transparent), the picture inside.
    const QImage framed = conversation()->imageCache()->image(attachmentOf(rowNow), image.size(), 1, frame).toImage();
    QCOMPARE(framed.size(), image.size());
    QCOMPARE(framed.pixelColor(0, 0).alpha(), 0);
    QCOMPARE(framed.pixelColor(framed.rect().center()).alpha(), 255);
    QCOMPARE(delegate->sizeHint(optionFor(rowNow), indexOf(rowNow)).height(), heightBefore);
    list()->viewport()->repaint();
    const QColor painted
        = list()->viewport()->grab().toImage().pixelColor(image.center() * list()->viewport()->devicePixelRatioF());
    QVERIFY2(std::abs(painted.red() - m_pastedColor.red()) < 16
                 && std::abs(painted.green() - m_pastedColor.green()) < 16,
             qPrintable(painted.name()));
}

// A click on the picture opens the viewer: the full picture, fitted to the window; +
// zooms in, 1 shows it pixel for pixel, Ctrl+wheel zooms out, Save As… copies it out.
void tst_Attachments::clickingAPictureOpensTheViewer()
{
    const int row = rowOfText(QStringLiteral("a pasted picture"), true);
    QVERIFY(row >= 0);
    list()->scrollTo(indexOf(row));
    const QRect image = conversation()->delegate()->attachmentRect(optionFor(row), indexOf(row), 0);
    QVERIFY(image.isValid());
    QTest::mouseClick(list()->viewport(), Qt::LeftButton, {}, image.center());
    Desktop::ImageViewer *viewer = nullptr;
    QTRY_VERIFY((viewer = conversation()->findChild<Desktop::ImageViewer *>(QStringLiteral("imageViewer"))));
    QVERIFY(QTest::qWaitForWindowExposed(viewer));
    QTRY_VERIFY_WITH_TIMEOUT(!viewer->imagePath().isEmpty(), 10000);
    QCOMPARE(viewer->imageSize(), QSize(1200, 800));
    QVERIFY(viewer->isFitting());
    QVERIFY(viewer->scale() < 1); // 1200 wide does not fit a 900-wide window
    QVERIFY(viewer->shownSize().width() <= viewer->width());

    viewer->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(viewer));
    const qreal fitted = viewer->scale();
    QTest::keyClick(viewer, Qt::Key_Plus);
    QVERIFY(!viewer->isFitting());
    QCOMPARE(viewer->scale(), fitted * Desktop::ImageViewer::ZoomStep);
    QTest::keyClick(viewer, Qt::Key_1);
    QCOMPARE(viewer->scale(), 1.0);
    QCOMPARE(viewer->shownSize(), QSize(1200, 800));
    QWidget *area = viewer->findChild<QWidget *>(QStringLiteral("imageViewerPicture"))->parentWidget();
    QWheelEvent wheel(QPointF(50, 50), area->mapToGlobal(QPointF(50, 50)), {}, QPoint(0, -120), Qt::NoButton,
                      Qt::ControlModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(area, &wheel);
    QCOMPARE(viewer->scale(), 1.0 / Desktop::ImageViewer::ZoomStep);

    const QString target = m_dir.filePath(QStringLiteral("saved-picture.png"));
    conversation()->setSaveAsChooser([target](const QString &) { return target; });
    QSignalSpy ready(conversation(), &Desktop::ConversationView::fileReady);
    viewer->findChild<QToolButton *>(QStringLiteral("saveImageButton"))->click();
    QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty() && ready.last().at(0).toString() == target, 10000);
    QCOMPARE(QImage(target).size(), QSize(1200, 800));
    viewer->close();
    QTRY_VERIFY(!conversation()->findChild<Desktop::ImageViewer *>(QStringLiteral("imageViewer")));
}

// The paper clip takes what the chooser picks; a chip's ✕ takes one off; Enter with no
// text sends the files alone. A small picture needs no thumbnail and shows at its own size.
void tst_Attachments::theAttachButtonAttachesWhatIsChosen()
{
    const QString notes = writeFile(QStringLiteral("notes.txt"), "left out\n");
    const QString small = writePicture(QStringLiteral("small.png"), QSize(100, 80), QColor(30, 120, 200));
    conversation()->setFileChooser([=] { return QStringList { notes, small }; });
    QTest::mouseClick(conversation()->attachButton(), Qt::LeftButton);
    QCOMPARE(trayFiles(), (QStringList { notes, small }));
    const auto chips = conversation()->findChildren<QWidget *>(QStringLiteral("pendingAttachment"));
    QCOMPARE(chips.size(), 2);
    QWidget *notesChip = chips.at(0)->property("path").toString() == notes ? chips.at(0) : chips.at(1);
    notesChip->findChild<QToolButton *>(QStringLiteral("removeAttachment"))->click();
    QCOMPARE(trayFiles(), QStringList { small });

    const int before = messages()->rowCount();
    composer()->setFocus();
    QTest::keyClick(composer(), Qt::Key_Return);
    QTRY_COMPARE(messages()->rowCount(), before + 1);
    const int row = messages()->rowCount() - 1;
    QTRY_VERIFY_WITH_TIMEOUT(indexOf(row).data(MessageModel::SeqRole).toLongLong() > 0, 20000);
    QCOMPARE(indexOf(row).data(MessageModel::TextRole).toString(), QString());
    const QVariantList files = indexOf(row).data(MessageModel::AttachmentsRole).toList();
    QCOMPARE(files.size(), 1);
    QCOMPARE(files.at(0).toMap().value(QStringLiteral("name")).toString(), QStringLiteral("small.png"));
    QVERIFY(files.at(0).toMap().value(QStringLiteral("thumbnail")).toString().isEmpty());
    list()->scrollToBottom();
    QCOMPARE(conversation()->delegate()->attachmentRect(optionFor(row), indexOf(row), 0).size(), QSize(100, 80));
}

// Files dropped on the conversation or elsewhere on the window are attached; a drop of a
// web link is not taken.
void tst_Attachments::droppedFilesAreAttached()
{
    const QString first = writeFile(QStringLiteral("first.txt"), "one\n");
    const QString second = writePicture(QStringLiteral("second.png"), QSize(640, 480), QColor(40, 160, 90));
    QMimeData web;
    web.setUrls({ QUrl(QStringLiteral("https://example.com/picture.png")) });
    const QPoint over = conversation()->messageList()->geometry().center();
    QDragEnterEvent refused(over, Qt::CopyAction, &web, Qt::LeftButton, {});
    QApplication::sendEvent(conversation(), &refused);
    QVERIFY(!refused.isAccepted());

    QMimeData files;
    files.setUrls({ QUrl::fromLocalFile(first), QUrl::fromLocalFile(second) });
    QDragEnterEvent enter(over, Qt::CopyAction, &files, Qt::LeftButton, {});
    QApplication::sendEvent(conversation(), &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(over, Qt::CopyAction, &files, Qt::LeftButton, {});
    QApplication::sendEvent(conversation(), &drop);
    QVERIFY(drop.isAccepted());
    QCOMPARE(trayFiles(), (QStringList { first, second }));
    // Anywhere on the window: over the room list too.
    const QString third = writeFile(QStringLiteral("third.txt"), "three\n");
    QMimeData more;
    more.setUrls({ QUrl::fromLocalFile(third) });
    const QPoint overRooms(20, window()->height() / 2);
    QDragEnterEvent enterWindow(overRooms, Qt::CopyAction, &more, Qt::LeftButton, {});
    QApplication::sendEvent(window(), &enterWindow); // a drop goes where the drag was taken
    QVERIFY(enterWindow.isAccepted());
    QDropEvent onWindow(overRooms, Qt::CopyAction, &more, Qt::LeftButton, {});
    QApplication::sendEvent(window(), &onWindow);
    QVERIFY(onWindow.isAccepted());
    QCOMPARE(trayFiles(), (QStringList { first, second, third }));

    const int row = send(QStringLiteral("three dropped files"));
    QVERIFY(row >= 0);
    const QVariantList sent = indexOf(row).data(MessageModel::AttachmentsRole).toList();
    QCOMPARE(sent.size(), 3);
    QCOMPARE(sent.at(1).toMap().value(QStringLiteral("width")).toInt(), 640);
    QVERIFY(!sent.at(1).toMap().value(QStringLiteral("thumbnail")).toString().isEmpty()); // 640×480 > 400×300
    QVERIFY(!Desktop::AttachmentChips::showsAsImage(sent.at(0).toMap()));                 // the text file stays a chip
}

// With the server gone, a message with a file is queued: its row is pending with the
// file marked "uploading…", the uploads panel says it waits for the connection; when the
// server is back it is uploaded and sent.
void tst_Attachments::offlineTheMessageWaitsAndGoesWhenTheServerIsBack()
{
    Client::ChatSession *session = m_app->session();
    m_server.kill();
    QTRY_VERIFY_WITH_TIMEOUT(!session->isOnline(), 10000);
    conversation()->attachFiles({ writePicture(QStringLiteral("offline.png"), QSize(500, 500), Qt::darkYellow) });
    const QString text = QStringLiteral("written offline");
    QTest::keyClicks(composer(), text);
    QTest::keyClick(composer(), Qt::Key_Return);
    QTRY_VERIFY(rowOfText(text) >= 0);
    const int row = rowOfText(text);
    QCOMPARE(indexOf(row).data(MessageModel::StateRole).value<MessageModel::State>(), MessageModel::State::Pending);
    QVERIFY(attachmentOf(row).value(QStringLiteral("pending")).toBool());
    auto *panel = conversation()->uploadsPanel();
    QVERIFY(panel->isVisible());
    QCOMPARE(panel->lineCount(), 1);
    QVERIFY(panel->findChild<QLabel *>(QStringLiteral("uploadStatus"))->text().contains(QStringLiteral("connection")));

    QVERIFY2(m_server.restart(), qPrintable(m_server.error()));
    QTRY_VERIFY_WITH_TIMEOUT(rowOfText(text, true) >= 0, 60000);
    const QVariantMap sent = attachmentOf(rowOfText(text, true));
    QCOMPARE(sent.value(QStringLiteral("width")).toInt(), 500);
    QVERIFY(!sent.value(QStringLiteral("thumbnail")).toString().isEmpty());
    QTRY_VERIFY(panel->isHidden());
}

// An upload in flight (the server stopped answering) shows its progress; Cancel stops it
// and drops the message: its row goes, the outbox forgets it, and what is written next
// reaches bob without it.
void tst_Attachments::cancellingAnUploadDropsItsMessage()
{
    Client::ChatSession *session = m_app->session();
    QTRY_VERIFY_WITH_TIMEOUT(session->isOnline(), 30000);
    QByteArray big(24 * 1024 * 1024, Qt::Uninitialized);
    for (int i = 0; i < big.size(); ++i)
        big[i] = char(i * 13 + i / 4096);
    const QString path = writeFile(QStringLiteral("big.bin"), big);
    QSignalSpy progress(session, &ChatSession::uploadProgress);
    m_server.suspend();
    // Resumed however this ends: a failure here must not leave the next tests a frozen server.
    auto resume = qScopeGuard([this] { m_server.resume(); });
    conversation()->attachFiles({ path });
    const QString text = QStringLiteral("never sent");
    QTest::keyClicks(composer(), text);
    QTest::keyClick(composer(), Qt::Key_Return);
    QTRY_VERIFY(rowOfText(text) >= 0);
    // Bytes go into the socket's buffers while the server sleeps: the upload is under way.
    QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty() && progress.last().at(2).toLongLong() > 0, 10000);
    auto *panel = conversation()->uploadsPanel();
    QCOMPARE(panel->lineCount(), 1);
    QTRY_VERIFY(panel->findChild<QProgressBar *>(QStringLiteral("uploadProgress"))->value() > 0);
    panel->findChild<QToolButton *>(QStringLiteral("cancelUpload"))->click();
    QCOMPARE(rowOfText(text), -1);
    QVERIFY(panel->isHidden());
    const auto outbox = session->localStore()->outbox();
    QVERIFY(std::none_of(outbox.cbegin(), outbox.cend(),
                         [&](const Client::OutboxEntry &entry) { return entry.text == text; }));
    resume.dismiss();
    m_server.resume();

    const QString next = QStringLiteral("after the cancel");
    QVERIFY(send(next) >= 0);
    QTRY_VERIFY_WITH_TIMEOUT(!receivedByBob(*m_bobReceived, next).isEmpty(), 20000);
    QVERIFY(receivedByBob(*m_bobReceived, text).isEmpty());
}

// A file far over the server's limit: the server cuts the body off before its 413 can be
// read. After a few tries the message fails, saying so, instead of uploading forever.
void tst_Attachments::aFileTheServerCutsOffFailsInsteadOfRetryingForever()
{
    QFile huge(m_dir.filePath(QStringLiteral("huge.bin")));
    QVERIFY(huge.open(QIODevice::WriteOnly));
    QVERIFY(huge.resize(qint64(120) * 1024 * 1024)); // over the 25 MiB limit plus the 64 MiB the server reads
    huge.close();
    conversation()->attachFiles({ huge.fileName() });
    const QString text = QStringLiteral("far too big");
    QTest::keyClicks(composer(), text);
    QTest::keyClick(composer(), Qt::Key_Return);
    QTRY_VERIFY(rowOfText(text) >= 0);
    QTRY_COMPARE_WITH_TIMEOUT(indexOf(rowOfText(text)).data(MessageModel::StateRole).value<MessageModel::State>(),
                              MessageModel::State::Failed, 60000);
    QVERIFY(indexOf(rowOfText(text)).data(MessageModel::ErrorRole).toString().contains(QStringLiteral("huge.bin")));
    QVERIFY(conversation()->uploadsPanel()->isHidden());
    m_app->session()->discardMessage(indexOf(rowOfText(text)).data(MessageModel::ClientIdRole).toString());
    QTRY_COMPARE(rowOfText(text), -1);
}

QTEST_MAIN(tst_Attachments)
#include "tst_attachments.moc"
