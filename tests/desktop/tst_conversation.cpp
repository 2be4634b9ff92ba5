// The conversation view as a daily user meets it, offscreen against a real confabd:
// joining a room shows its newest messages and scrolling up loads older pages (keeping
// the scroll position, with a loading row), the history is there at once after a restart,
// multi-line messages are measured as they are painted, the "New messages" divider, "Jump
// to latest (N new)", staying at the newest message when the view shrinks, links that
// open, text that can be selected and copied, the context menu, and a message the outbox
// could not keep (a full local database) staying in the composer with the reason.
#include "chatsession.h"
#include "composer.h"
#include "confabdprocess.h"
#include "conversationview.h"
#include "desktopapp.h"
#include "mainwindow.h"
#include "messagedelegate.h"
#include "messagelistview.h"
#include "messagemodel.h"
#include "messagetext.h"
#include "roomlistmodel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QInputDialog>
#include <QLabel>
#include <QMenu>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace Confab;
using Client::ChatSession;
using Client::MessageModel;

class tst_Conversation : public QObject
{
    Q_OBJECT
public Q_SLOTS:
    void openUrl(const QUrl &url) { m_opened.append(url); }

private Q_SLOTS:
    void initTestCase();
    void messageTextLaysOutLinesAndLinks();
    void joiningARoomShowsItsNewestMessages();
    void scrollingUpLoadsOlderPagesInPlace();
    void scrollingBackDownLoadsNewerPages();
    void pageKeysScrollByAPage();
    void historyIsThereAtOnceAfterARestart();
    void ownMessagesKeepTheirTicksAndAreNotNewAfterARestart();
    void multiLineMessagesAreMeasuredAsPainted();
    void rowsAreMeasuredAgainWhenTheWidthChanges();
    void pagingDownThroughNewerPagesSkipsNothing();
    void jumpToLatestCountsWhatArrivedWhileScrolledUp();
    void staysAtTheNewestMessageWhenTheViewShrinks();
    void newMessagesDividerAtTheFirstUnread();
    void linksOpenAndTextCanBeSelectedAndCopied();
    void contextMenuCopiesTextLinkAndMessageLink();
    void dividerMovesToWhatArrivedWhileAway();
    void keepsTheTextWhenTheOutboxCannotBeWritten();
    void editsAndDeletesMadeElsewhereShowInPlace();
    void messagesSeenInAShortRoomAreRead();
    void cleanupTestCase();

private:
    Desktop::MainWindow *window() const { return m_app->mainWindow(); }
    Desktop::ConversationView *conversation() const { return window()->conversation(); }
    MessageModel *messages() const { return conversation()->messages(); }
    Desktop::MessageListView *list() const
    {
        return qobject_cast<Desktop::MessageListView *>(conversation()->messageList());
    }
    QString textOfRow(int row) const { return messages()->index(row).data(MessageModel::TextRole).toString(); }
    void startAlice();
    void post(const QString &room, const QStringList &texts);
    void joinWithTheDialog(const QString &room);
    QPoint pointOf(int row, Desktop::MessageDelegate::Part part, int from = 0) const;

    Testing::ConfabdProcess m_server;
    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<Desktop::DesktopApp> m_app;
    ChatSession m_bob;
    QList<QUrl> m_opened;
    const QString m_room = QStringLiteral("big");
    static constexpr int Posted = 450;
};

void tst_Conversation::initTestCase()
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
    m_bob.request(QStringLiteral("room:create"), { { QStringLiteral("room"), m_room } },
                  [&](const QJsonObject &) { created = true; });
    QTRY_VERIFY_WITH_TIMEOUT(created, 10000);
    QStringList texts;
    for (int i = 1; i <= Posted; ++i)
        texts.append(QStringLiteral("message %1").arg(i));
    post(m_room, texts);
    QDesktopServices::setUrlHandler(QStringLiteral("https"), this, "openUrl");
}

void tst_Conversation::cleanupTestCase()
{
    QDesktopServices::unsetUrlHandler(QStringLiteral("https"));
    m_app.reset();
}

void tst_Conversation::post(const QString &room, const QStringList &texts)
{
    QSignalSpy sent(&m_bob, &ChatSession::messageSent);
    for (const QString &text : texts)
        m_bob.sendMessage(room, text);
    QTRY_COMPARE_WITH_TIMEOUT(sent.count(), texts.size(), 30000);
}

void tst_Conversation::startAlice()
{
    Desktop::DesktopApp::Options options;
    options.dataDir = m_dir.filePath(QStringLiteral("alice"));
    options.serverUrl = m_server.url();
    options.user = QStringLiteral("alice");
    options.password = QStringLiteral("alice-password");
    options.createAccount = !QFile::exists(m_dir.filePath(QStringLiteral("alice")));
    options.window.useTray = false;
    m_app = std::make_unique<Desktop::DesktopApp>(m_settings.get(), options);
    m_app->start();
    QTRY_VERIFY_WITH_TIMEOUT(window(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(m_app->session()->isOnline(), 10000);
    window()->resize(900, 600);
    window()->show();
    QVERIFY(QTest::qWaitForWindowExposed(window()));
    window()->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(window()));
}

void tst_Conversation::joinWithTheDialog(const QString &room)
{
    window()->findChild<QAction *>(QStringLiteral("joinRoomAction"))->trigger();
    QInputDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window()->findChild<QInputDialog *>(QStringLiteral("joinRoomDialog"))));
    dialog->setTextValue(room);
    dialog->accept();
    QTRY_COMPARE_WITH_TIMEOUT(window()->currentRoom(), room, 10000);
}

// A point over `part` of a row (searched from the row's top, or from `from` pixels down).
QPoint tst_Conversation::pointOf(int row, Desktop::MessageDelegate::Part part, int from) const
{
    const QModelIndex index = messages()->index(row);
    QStyleOptionViewItem option;
    option.initFrom(list());
    option.font = list()->font();
    option.rect = list()->visualRect(index);
    auto *delegate = conversation()->delegate();
    for (int y = option.rect.top() + from; y <= option.rect.bottom(); y += 2) {
        for (int x = option.rect.left(); x <= option.rect.right(); x += 2) {
            if (delegate->partAt(option, index, QPoint(x, y)) == part)
                return { x, y };
        }
    }
    return { -1, -1 };
}

void tst_Conversation::messageTextLaysOutLinesAndLinks()
{
    QFont font;
    const QFontMetrics metrics(font);
    const QPalette palette;
    // Line breaks as typed (QTextLayout alone would run them together).
    const Desktop::MessageText three(QStringLiteral("one\ntwo\nthree"), font, 400, palette);
    QVERIFY2(three.height() >= 3 * metrics.height() - 1, qPrintable(QString::number(three.height())));
    const Desktop::MessageText one(QStringLiteral("one two three"), font, 400, palette);
    QVERIFY(one.height() < 2 * metrics.height());

    const auto links = Desktop::findLinks(QStringLiteral("see https://example.org/docs. And (http://a.example/x) ok"));
    QCOMPARE(links.size(), 2);
    QCOMPARE(links.at(0).url, QStringLiteral("https://example.org/docs"));
    QCOMPARE(links.at(1).url, QStringLiteral("http://a.example/x"));
    QVERIFY(Desktop::findLinks(QStringLiteral("no links: example.org, ftp://x")).isEmpty());
}

void tst_Conversation::joiningARoomShowsItsNewestMessages()
{
    startAlice();
    joinWithTheDialog(m_room);
    // The newest page, newest message at the bottom: not "No messages yet".
    QTRY_VERIFY_WITH_TIMEOUT(messages()->rowCount() > 0, 10000);
    QCOMPARE(textOfRow(messages()->rowCount() - 1), QStringLiteral("message %1").arg(Posted));
    QVERIFY(messages()->rowCount() <= 2 * ChatSession::HistoryPageSize); // a page or two, not the whole room
    QTRY_VERIFY(conversation()->isAtBottom());
    QVERIFY(!messages()->isAtBeginning());
}

void tst_Conversation::scrollingUpLoadsOlderPagesInPlace()
{
    QScrollBar *bar = list()->verticalScrollBar();
    QTRY_VERIFY(bar->maximum() > 0);
    // A page asked for while the first one did not fill the view yet (slow machines) is let
    // in first: the watch below must see a load start, not only one end.
    QTRY_VERIFY_WITH_TIMEOUT(!messages()->isLoadingOlder(), 10000);
    // Read back a little: the row at the top must stay where it is while a page is prepended.
    // The next page comes from the server: the loading row shows meanwhile.
    bool labelShown = false;
    const QMetaObject::Connection watch = connect(messages(), &MessageModel::loadingChanged, this, [&] {
        labelShown = labelShown || (messages()->isLoadingOlder() && conversation()->loadingLabel()->isVisible());
    });
    // Taken before scrolling: the page may arrive within the same wait that sees the label.
    qint64 before = messages()->firstSeq();
    bar->setValue(1); // moved for sure, even if the view stood at the top already
    bar->setValue(0);
    QTRY_VERIFY2_WITH_TIMEOUT(labelShown,
                              qPrintable(QStringLiteral("value %1 of %2, loading %3, at the beginning %4, first seq %5")
                                             .arg(bar->value())
                                             .arg(bar->maximum())
                                             .arg(messages()->isLoadingOlder())
                                             .arg(messages()->isAtBeginning())
                                             .arg(messages()->firstSeq())),
                              10000);
    disconnect(watch); // it captures this function's locals
    QTRY_VERIFY_WITH_TIMEOUT(messages()->firstSeq() < before, 10000);
    QTRY_VERIFY(!conversation()->loadingLabel()->isVisible());

    // Page by page back to the first message, each time in place: the row at the top
    // stays where it is on screen while the older page is put above it.
    for (int page = 0; page < 10 && !messages()->isAtBeginning(); ++page) {
        before = messages()->firstSeq();
        bar->setValue(0); // moved for sure, even when the view already stood at the quarter
        bar->setValue(list()->viewport()->height() / 4);
        const QModelIndex top = list()->indexAt(QPoint(4, 1));
        const qint64 topSeq = top.data(MessageModel::SeqRole).toLongLong();
        const int topY = list()->visualRect(top).top();
        QTRY_VERIFY_WITH_TIMEOUT(messages()->firstSeq() < before || messages()->isAtBeginning(), 10000);
        QApplication::processEvents();
        QCOMPARE(list()->visualRect(messages()->index(messages()->rowOfSeq(topSeq))).top(), topY);
    }
    // Like a user who keeps scrolling up: at the top again whenever a page came in above.
    QTRY_VERIFY_WITH_TIMEOUT((bar->setValue(0), messages()->isAtBeginning()), 10000);
    QCOMPARE(textOfRow(0), QStringLiteral("message 1"));
    // Every message once, in order; the window stays bounded, so the newest were let go.
    QCOMPARE(messages()->rowCount(), 2 * MessageModel::WindowRows);
    QVERIFY(messages()->hasNewer());
    for (int row = 0; row < messages()->rowCount(); row += 37)
        QCOMPARE(textOfRow(row), QStringLiteral("message %1").arg(row + 1));
}

void tst_Conversation::scrollingBackDownLoadsNewerPages()
{
    QScrollBar *bar = list()->verticalScrollBar();
    // Like holding End: at the bottom again whenever a page has come in below.
    QTRY_VERIFY_WITH_TIMEOUT((bar->setValue(bar->maximum()), !messages()->hasNewer()), 10000);
    QCOMPARE(textOfRow(messages()->rowCount() - 1), QStringLiteral("message %1").arg(Posted));
    QTRY_VERIFY(messages()->rowCount() <= 2 * MessageModel::WindowRows);
    // Still consecutive after trimming at the top.
    for (int row = 1; row < messages()->rowCount(); ++row)
        QCOMPARE(messages()->index(row).data(MessageModel::SeqRole).toLongLong(),
                 messages()->index(row - 1).data(MessageModel::SeqRole).toLongLong() + 1);
    // The room list shows the room's newest message, though none arrived live.
    const int room = window()->rooms()->rowOf(m_room);
    QCOMPARE(window()->rooms()->index(room).data(Client::RoomListModel::LastMessageRole).toString(),
             QStringLiteral("message %1").arg(Posted));
}

void tst_Conversation::pageKeysScrollByAPage()
{
    QScrollBar *bar = list()->verticalScrollBar();
    conversation()->jumpToLatest();
    QTRY_VERIFY(conversation()->isAtBottom());
    list()->setFocus();
    const int bottom = bar->value();
    QTest::keyClick(list(), Qt::Key_PageUp);
    QCOMPARE(bar->value(), bottom - bar->pageStep());
    QTest::keyClick(list(), Qt::Key_PageUp);
    QCOMPARE(bar->value(), bottom - 2 * bar->pageStep());
    QTest::keyClick(list(), Qt::Key_End);
    QCOMPARE(bar->value(), bar->maximum());
}

void tst_Conversation::historyIsThereAtOnceAfterARestart()
{
    m_app.reset();
    startAlice();
    window()->selectRoom(m_room);
    // From the cache, before any answer from the server.
    QVERIFY(messages()->rowCount() > 0);
    QCOMPARE(textOfRow(messages()->rowCount() - 1), QStringLiteral("message %1").arg(Posted));
}

void tst_Conversation::ownMessagesKeepTheirTicksAndAreNotNewAfterARestart()
{
    QTRY_VERIFY(conversation()->isAtBottom());
    Desktop::Composer *composer = conversation()->composer();
    composer->setFocus();
    QTest::keyClicks(composer, QStringLiteral("my own words"));
    QTest::keyClick(composer, Qt::Key_Return);
    const auto stateOfNewest = [this] {
        return messages()->index(messages()->rowCount() - 1).data(MessageModel::StateRole).value<MessageModel::State>();
    };
    // bob's client confirms delivery.
    QTRY_COMPARE_WITH_TIMEOUT(stateOfNewest(), MessageModel::State::Delivered, 10000);
    m_app.reset();
    startAlice();
    window()->selectRoom(m_room);
    QCOMPARE(textOfRow(messages()->rowCount() - 1), QStringLiteral("my own words"));
    QCOMPARE(stateOfNewest(), MessageModel::State::Delivered); // not back to "sent"
    QCOMPARE(messages()->firstUnreadSeq(), 0);                 // one's own message is not news
    QVERIFY(!conversation()->jumpToUnreadButton()->isVisible());
}

void tst_Conversation::multiLineMessagesAreMeasuredAsPainted()
{
    QStringList lines;
    for (int i = 1; i <= 30; ++i)
        lines.append(QStringLiteral("    log line %1: value=%2").arg(i).arg(i * 7));
    post(m_room, { lines.join(QLatin1Char('\n')) });
    QTRY_COMPARE_WITH_TIMEOUT(textOfRow(messages()->rowCount() - 1), lines.join(QLatin1Char('\n')), 10000);
    const QModelIndex index = messages()->index(messages()->rowCount() - 1);
    QStyleOptionViewItem option;
    option.initFrom(list());
    option.font = list()->font();
    option.rect = QRect(0, 0, list()->viewport()->width(), 0);
    const int measured = conversation()->delegate()->textHeight(option, index);
    // The same layout paints it: thirty lines, none clipped.
    QVERIFY2(measured >= 30 * QFontMetrics(option.font).height() - 1, qPrintable(QString::number(measured)));
    QVERIFY(conversation()->delegate()->sizeHint(option, index).height() > measured);
    QTRY_VERIFY(conversation()->isAtBottom());
    QTRY_VERIFY(list()->visualRect(index).height() >= measured);
}

void tst_Conversation::rowsAreMeasuredAgainWhenTheWidthChanges()
{
    // Each visible row as tall as its layout at the new width, rows edge to edge: nothing
    // painted over its neighbour, no gap left from the old width.
    auto rowsFit = [this]() -> QString {
        QStyleOptionViewItem option;
        option.initFrom(list());
        option.font = list()->font();
        option.widget = list();
        for (int row = 0; row < messages()->rowCount(); ++row) {
            const QRect rect = list()->visualRect(messages()->index(row));
            if (!rect.intersects(list()->viewport()->rect()))
                continue;
            option.rect = rect;
            const int height = conversation()->delegate()->sizeHint(option, messages()->index(row)).height();
            if (rect.height() != height)
                return QStringLiteral("row %1: %2 px laid out, %3 px measured").arg(row).arg(rect.height()).arg(height);
            if (row > 0 && list()->visualRect(messages()->index(row - 1)).bottom() + 1 != rect.top())
                return QStringLiteral("row %1 does not start where row %2 ends").arg(row).arg(row - 1);
        }
        return {};
    };
    const QSize size = window()->size();
    for (const int width : { 700, 480, 1000 }) {
        window()->resize(width, size.height());
        QTRY_VERIFY2(rowsFit().isEmpty(), qPrintable(QStringLiteral("at %1: %2").arg(width).arg(rowsFit())));
    }
    window()->resize(size);
    QTRY_VERIFY(rowsFit().isEmpty());
}

void tst_Conversation::pagingDownThroughNewerPagesSkipsNothing()
{
    // Read from the first message down, a page at a time: newer pages load below and the
    // oldest rows are trimmed above, and every message passes the top of the view in order.
    QSignalSpy reset(messages(), &QAbstractItemModel::modelReset);
    messages()->showFrom(1);
    QTRY_VERIFY_WITH_TIMEOUT(reset.count() > 0, 10000);
    QTRY_COMPARE(textOfRow(0), QStringLiteral("message 1"));
    QScrollBar *bar = list()->verticalScrollBar();
    bar->setValue(0);
    QApplication::processEvents();
    list()->setFocus();
    const int rowsPerPage = list()->viewport()->height() / list()->fontMetrics().height() + 1;
    qint64 top = list()->indexAt(QPoint(4, 1)).data(MessageModel::SeqRole).toLongLong();
    for (int press = 0; press < 200 && (messages()->hasNewer() || !conversation()->isAtBottom()); ++press) {
        QTest::keyClick(list(), Qt::Key_PageDown);
        // What the event loop does between two key presses: the queued load, then the trim.
        for (int pass = 0; pass < 3; ++pass)
            QCoreApplication::sendPostedEvents();
        QApplication::processEvents();
        QTRY_VERIFY(list()->indexAt(QPoint(4, 1)).isValid());
        // At the bottom of the window with newer messages still to come, the next page is on
        // its way from the server: a reader waits for it (a slow build would press past it).
        if (bar->value() == bar->maximum() && messages()->hasNewer()) {
            const qint64 last = messages()->lastSeq();
            QTRY_VERIFY_WITH_TIMEOUT(messages()->lastSeq() > last || !messages()->hasNewer(), 10000);
        }
        const qint64 now = list()->indexAt(QPoint(4, 1)).data(MessageModel::SeqRole).toLongLong();
        QVERIFY2(now >= top && now - top <= rowsPerPage,
                 qPrintable(QStringLiteral("Page Down went from seq %1 to %2 (a page is %3 rows)")
                                .arg(top)
                                .arg(now)
                                .arg(rowsPerPage)));
        top = now;
    }
    QVERIFY2(!messages()->hasNewer(),
             qPrintable(QStringLiteral("top %1, rows %2, last %3, value %4 of %5")
                            .arg(top)
                            .arg(messages()->rowCount())
                            .arg(messages()->lastSeq())
                            .arg(list()->verticalScrollBar()->value())
                            .arg(list()->verticalScrollBar()->maximum())));
    QTRY_VERIFY(conversation()->isAtBottom());
}

void tst_Conversation::jumpToLatestCountsWhatArrivedWhileScrolledUp()
{
    QScrollBar *bar = list()->verticalScrollBar();
    QTRY_VERIFY(bar->maximum() > 2 * list()->viewport()->height());
    bar->setValue(bar->maximum() / 2);
    QTRY_VERIFY(conversation()->jumpToLatestButton()->isVisible());
    const int value = bar->value();
    post(m_room, { QStringLiteral("late one"), QStringLiteral("late two") });
    QTRY_VERIFY(conversation()->jumpToLatestButton()->text().contains(QLatin1String("2 new")));
    QCOMPARE(bar->value(), value); // reading back is left alone
    QTest::mouseClick(conversation()->jumpToLatestButton(), Qt::LeftButton);
    QTRY_VERIFY(conversation()->isAtBottom());
    QCOMPARE(textOfRow(messages()->rowCount() - 1), QStringLiteral("late two"));
    QTRY_VERIFY(!conversation()->jumpToLatestButton()->isVisible());
    // At the bottom, the window is trimmed back to its bound (in steps of a quarter).
    QTRY_VERIFY(messages()->rowCount() <= MessageModel::WindowRows + MessageModel::WindowRows / 4);
}

void tst_Conversation::staysAtTheNewestMessageWhenTheViewShrinks()
{
    QTRY_VERIFY(conversation()->isAtBottom());
    const int height = list()->viewport()->height();
    // What the reconnect banner does above the conversation, or the user resizing the window.
    window()->resize(window()->width(), window()->height() - 120);
    QTRY_VERIFY(list()->viewport()->height() < height);
    QTRY_VERIFY(conversation()->isAtBottom());
    const QModelIndex newest = messages()->index(messages()->rowCount() - 1);
    QVERIFY(list()->viewport()->rect().contains(list()->visualRect(newest).bottomLeft() - QPoint(0, 2)));
    window()->resize(window()->width(), window()->height() + 120);
}

void tst_Conversation::newMessagesDividerAtTheFirstUnread()
{
    QTRY_VERIFY(conversation()->isAtBottom());
    const qint64 read = messages()->lastSeq();
    QTRY_COMPARE(m_app->session()->readSeq(m_room), read);
    // Elsewhere while three arrive.
    bool created = false;
    m_app->session()->request(QStringLiteral("room:create"), { { QStringLiteral("room"), QStringLiteral("quiet") } },
                              [&](const QJsonObject &) { created = true; });
    QTRY_VERIFY_WITH_TIMEOUT(created, 10000);
    window()->rooms()->addRoom(QStringLiteral("quiet"));
    window()->selectRoom(QStringLiteral("quiet"));
    QStringList unread { QStringLiteral("unread one") };
    for (int i = 2; i <= 40; ++i)
        unread.append(QStringLiteral("unread %1").arg(i)); // more than a screen
    post(m_room, unread);
    window()->selectRoom(m_room);
    QTRY_COMPARE(textOfRow(messages()->rowCount() - 1), QStringLiteral("unread 40"));
    QCOMPARE(messages()->firstUnreadSeq(), read + 1);
    const int first = messages()->rowOfSeq(read + 1);
    QCOMPARE(textOfRow(first), QStringLiteral("unread one"));
    QVERIFY(messages()->index(first).data(MessageModel::FirstUnreadRole).toBool());
    QVERIFY(!messages()->index(first + 1).data(MessageModel::FirstUnreadRole).toBool());
    // The room opens at the newest message; the divider is above, out of sight: a button leads there.
    QTRY_VERIFY(conversation()->isAtBottom());
    QTRY_VERIFY2(conversation()->jumpToUnreadButton()->isVisible(),
                 qPrintable(QStringLiteral("first unread row %1, top row %2")
                                .arg(first)
                                .arg(list()->indexAt(QPoint(4, 1)).row())));
    QTest::mouseClick(conversation()->jumpToUnreadButton(), Qt::LeftButton);
    QTRY_VERIFY(list()->viewport()->rect().intersects(list()->visualRect(messages()->index(first))));
    QTRY_VERIFY(!conversation()->jumpToUnreadButton()->isVisible());
    // Messages that come while the room is open are not "new" to the user.
    post(m_room, { QStringLiteral("seen live") });
    QTRY_COMPARE(textOfRow(messages()->rowCount() - 1), QStringLiteral("seen live"));
    QCOMPARE(messages()->firstUnreadSeq(), read + 1);
    conversation()->jumpToLatest();
}

void tst_Conversation::linksOpenAndTextCanBeSelectedAndCopied()
{
    post(m_room, { QStringLiteral("see https://example.org/docs. for the details") });
    QTRY_COMPARE(textOfRow(messages()->rowCount() - 1),
                 QStringLiteral("see https://example.org/docs. for the details"));
    QTRY_VERIFY(conversation()->isAtBottom());
    const int row = messages()->rowCount() - 1;
    const QPoint link = pointOf(row, Desktop::MessageDelegate::Part::Link);
    QVERIFY(link.x() >= 0);
    QTest::mouseClick(list()->viewport(), Qt::LeftButton, {}, link);
    QCOMPARE(m_opened.size(), 1);
    QCOMPARE(m_opened.at(0), QUrl(QStringLiteral("https://example.org/docs")));

    // Drag across the start of the text ("see "), then Ctrl+C.
    const QPoint start = pointOf(row, Desktop::MessageDelegate::Part::Text);
    QVERIFY(start.x() >= 0);
    QTest::mousePress(list()->viewport(), Qt::LeftButton, {}, start);
    QMouseEvent move(QEvent::MouseMove, QPointF(link.x() - 2, start.y()),
                     list()->viewport()->mapToGlobal(QPointF(link.x() - 2, start.y())), Qt::NoButton, Qt::LeftButton,
                     Qt::NoModifier);
    QApplication::sendEvent(list()->viewport(), &move);
    QTest::mouseRelease(list()->viewport(), Qt::LeftButton, {}, QPoint(link.x() - 2, start.y()));
    QCOMPARE(m_opened.size(), 1); // a drag is not a click
    QVERIFY2(list()->selectedText().startsWith(QLatin1String("see")), qPrintable(list()->selectedText()));
    QTest::keyClick(list(), Qt::Key_C, Qt::ControlModifier);
    QCOMPARE(QGuiApplication::clipboard()->text(), list()->selectedText());

    // Typing while the list has the focus goes on in the composer.
    QTest::keyClicks(list(), QStringLiteral("x"));
    QVERIFY(conversation()->composer()->hasFocus());
    QCOMPARE(conversation()->composer()->toPlainText(), QStringLiteral("x"));
    conversation()->composer()->clear();
}

void tst_Conversation::contextMenuCopiesTextLinkAndMessageLink()
{
    const int row = messages()->rowCount() - 1;
    const QPoint link = pointOf(row, Desktop::MessageDelegate::Part::Link);
    QVERIFY(link.x() >= 0);
    QContextMenuEvent event(QContextMenuEvent::Mouse, link, list()->viewport()->mapToGlobal(link));
    QApplication::sendEvent(list()->viewport(), &event);
    QMenu *menu = nullptr;
    QTRY_VERIFY((menu = list()->findChild<QMenu *>(QStringLiteral("messageMenu"))));
    QStringList texts;
    for (QAction *action : menu->actions())
        texts.append(action->text().remove(QLatin1Char('&')));
    QVERIFY2(texts.contains(QStringLiteral("Copy Text")) && texts.contains(QStringLiteral("Copy Link"))
                 && texts.contains(QStringLiteral("Copy Message Link")),
             qPrintable(texts.join(QLatin1Char(','))));
    for (QAction *action : menu->actions()) {
        if (action->text().remove(QLatin1Char('&')) == QLatin1String("Copy Link"))
            action->trigger();
    }
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("https://example.org/docs"));
    for (QAction *action : menu->actions()) {
        if (action->text().remove(QLatin1Char('&')) == QLatin1String("Copy Message Link"))
            action->trigger();
    }
    const QUrl messageLink(QGuiApplication::clipboard()->text());
    QCOMPARE(messageLink.scheme(), QStringLiteral("confab"));
    QCOMPARE(messageLink.path(), QStringLiteral("/%1/%2").arg(m_room).arg(messages()->lastSeq()));
    menu->close();
}

void tst_Conversation::dividerMovesToWhatArrivedWhileAway()
{
    conversation()->jumpToLatest();
    QTRY_VERIFY(conversation()->isAtBottom());
    QTRY_COMPARE(m_app->session()->readSeq(m_room), messages()->lastSeq()); // all read
    // The user works in another window while three arrive, then comes back.
    QWidget elsewhere;
    elsewhere.show();
    elsewhere.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&elsewhere));
    const qint64 read = messages()->lastSeq();
    post(m_room, { QStringLiteral("while away 1"), QStringLiteral("while away 2"), QStringLiteral("while away 3") });
    QTRY_COMPARE(textOfRow(messages()->rowCount() - 1), QStringLiteral("while away 3"));
    QCOMPARE(m_app->session()->readSeq(m_room), read); // not read: the window was not active
    window()->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(window()));
    QTRY_COMPARE(messages()->firstUnreadSeq(), read + 1);
    QCOMPARE(textOfRow(messages()->rowOfSeq(read + 1)), QStringLiteral("while away 1"));
    QTRY_COMPARE(m_app->session()->readSeq(m_room), read + 3); // and now they are read
}

void tst_Conversation::keepsTheTextWhenTheOutboxCannotBeWritten()
{
    // The local database refuses writes (as with a full disk): SQLite's query_only on the
    // store's own connection makes every write fail, deterministically.
    const QString path = QDir(m_dir.filePath(QStringLiteral("alice"))).absolutePath();
    QSqlDatabase full;
    for (const QString &name : QSqlDatabase::connectionNames()) {
        const QSqlDatabase db = QSqlDatabase::database(name, false);
        if (QFileInfo(db.databaseName()).absoluteFilePath().startsWith(path) && !name.endsWith(QLatin1String("-cache")))
            full = db; // the outbox's connection
    }
    QVERIFY(full.isValid());
    QSqlQuery query(full);
    QVERIFY(query.exec(QStringLiteral("PRAGMA query_only = ON")));

    Desktop::Composer *composer = conversation()->composer();
    composer->setFocus();
    const QString text = QStringLiteral("an important thought ").repeated(100);
    composer->setPlainText(text);
    const int rows = messages()->rowCount();
    QTest::keyClick(composer, Qt::Key_Return);
    QCOMPARE(composer->toPlainText(), text.trimmed()); // nothing the user typed is lost
    QVERIFY2(!conversation()->noticeText().isEmpty(), "the user is told why");
    QCOMPARE(messages()->rowCount(), rows);

    // Room again: the same Enter sends it.
    QVERIFY(query.exec(QStringLiteral("PRAGMA query_only = OFF")));
    QTest::keyClick(composer, Qt::Key_Return);
    QVERIFY(composer->toPlainText().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(textOfRow(messages()->rowCount() - 1).startsWith(QLatin1String("an important thought")),
                             10000);
}

void tst_Conversation::editsAndDeletesMadeElsewhereShowInPlace()
{
    // A room of its own: the room list's preview shows this room's newest message.
    const QString room = QStringLiteral("edits");
    bool created = false, joined = false;
    m_bob.createRoom({ room, {} }, [&](const Chat::Result<Chat::RoomAnswer> &answer) { created = answer.isOk(); });
    QTRY_VERIFY_WITH_TIMEOUT(created, 10000);
    m_app->session()->joinRoom(room, [&](const Chat::Result<Chat::JoinRoomAnswer> &answer) { joined = answer.isOk(); });
    QTRY_VERIFY_WITH_TIMEOUT(joined, 10000);
    window()->rooms()->addRoom(room);
    window()->selectRoom(room);
    post(room, { QStringLiteral("a typo hre") });
    auto rowOfText = [this](const QString &text) {
        for (int row = messages()->rowCount() - 1; row >= 0; --row) {
            if (textOfRow(row) == text)
                return row;
        }
        return -1;
    };
    QTRY_VERIFY_WITH_TIMEOUT(rowOfText(QStringLiteral("a typo hre")) >= 0, 10000);
    const int row = rowOfText(QStringLiteral("a typo hre"));
    const QString id = messages()->index(row).data(MessageModel::IdRole).toString();
    const QString keyBefore = messages()->index(row).data(MessageModel::KeyRole).toString();

    QSignalSpy changed(&m_bob, &ChatSession::changeApplied);
    m_bob.editMessage(room, id.toLatin1(), QStringLiteral("a typo here, and a second line\nthat makes the row taller"));
    QTRY_COMPARE_WITH_TIMEOUT(textOfRow(row),
                              QStringLiteral("a typo here, and a second line\nthat makes the row taller"), 10000);
    QVERIFY(messages()->index(row).data(MessageModel::EditedAtRole).toLongLong() > 0);
    QVERIFY(messages()->index(row).data(MessageModel::KeyRole).toString() != keyBefore); // measured again
    // The row is laid out at its new height, the text's two lines and its note in it.
    QStyleOptionViewItem option;
    option.initFrom(list());
    option.font = list()->font();
    option.widget = list();
    option.rect = list()->visualRect(messages()->index(row));
    QTRY_COMPARE(list()->visualRect(messages()->index(row)).height(),
                 conversation()->delegate()->sizeHint(option, messages()->index(row)).height());
    QVERIFY(conversation()->delegate()->textHeight(option, messages()->index(row))
            >= 2 * QFontMetrics(option.font).height() - 1);

    // Reactions reach the row as a role the view can show: count, who, and whether mine.
    m_bob.setReaction(room, id.toLatin1(), QStringLiteral("👍"), true);
    auto reactions = [&] { return messages()->index(row).data(MessageModel::ReactionsRole).toList(); };
    QTRY_COMPARE_WITH_TIMEOUT(reactions().size(), 1, 10000);
    QCOMPARE(reactions().at(0).toMap().value(QStringLiteral("count")).toInt(), 1);
    QCOMPARE(reactions().at(0).toMap().value(QStringLiteral("users")).toStringList(),
             QStringList { QStringLiteral("bob") });
    QCOMPARE(reactions().at(0).toMap().value(QStringLiteral("mine")).toBool(), false);

    m_bob.deleteMessage(room, id.toLatin1());
    QTRY_VERIFY_WITH_TIMEOUT(messages()->index(row).data(MessageModel::DeletedRole).toBool(), 10000);
    QCOMPARE(textOfRow(row), QString());
    // The room list's preview showed it: it follows.
    const QModelIndex preview = window()->rooms()->index(window()->rooms()->rowOf(room));
    QTRY_COMPARE(preview.data(Client::RoomListModel::LastMessageRole).toString(),
                 QStringLiteral("This message was deleted."));
    QVERIFY(reactions().isEmpty()); // a tombstone keeps no reactions
    QCOMPARE(changed.count(), 3);
    window()->selectRoom(m_room);
}

void tst_Conversation::messagesSeenInAShortRoomAreRead()
{
    // "quiet" has a few messages: no scroll bar, so no scrolling says they were seen.
    bool joined = false;
    m_bob.joinRoom(QStringLiteral("quiet"),
                   [&](const Chat::Result<Chat::JoinRoomAnswer> &answer) { joined = answer.isOk(); });
    QTRY_VERIFY_WITH_TIMEOUT(joined, 10000);
    window()->selectRoom(QStringLiteral("quiet"));
    window()->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(window()));
    QTRY_COMPARE(list()->verticalScrollBar()->maximum(), 0);
    post(QStringLiteral("quiet"), { QStringLiteral("hello, quiet room") });
    QTRY_COMPARE_WITH_TIMEOUT(textOfRow(messages()->rowCount() - 1), QStringLiteral("hello, quiet room"), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(m_app->session()->readSeq(QStringLiteral("quiet")), messages()->lastSeq(), 10000);
    window()->selectRoom(m_room);
}

QTEST_MAIN(tst_Conversation)
#include "tst_conversation.moc"
