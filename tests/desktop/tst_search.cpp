// Search in the desktop app as a user meets it, offscreen against a real confabd: Ctrl+F
// lists the room's matches with the typed words marked (case and accents aside, the
// last word as a prefix), Ctrl+Shift+F finds messages in every room and Enter goes to
// the message in its room (also one older than the loaded page), a confab:// message link
// goes there too, Esc returns to the composer, an answer to an older query never
// replaces the newer one's, and offline the cache answers.
#include "chatsession.h"
#include "composer.h"
#include "confabdprocess.h"
#include "conversationview.h"
#include "desktopapp.h"
#include "mainwindow.h"
#include "messagemodel.h"
#include "searchdelegate.h"
#include "searchmodel.h"
#include "searchpanel.h"

#include <QAction>
#include <QApplication>
#include <QInputDialog>
#include <QLineEdit>
#include <QListView>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Confab;
using Client::ChatSession;
using Client::MessageModel;
using Desktop::SearchModel;
using Desktop::SearchPanel;

class tst_Search : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void matchRangesFollowTheIndex();
    void ctrlFListsTheRoomsMatchesHighlighted();
    void escClosesThePanelAndReturnsToTheComposer();
    void ctrlShiftFFindsOtherRoomsAndEnterGoesThere();
    void messageLinksGoToTheMessage();
    void staleAnswersDoNotReplaceNewerResults();
    void offlineTheCacheAnswers();
    void cleanupTestCase();

private:
    Desktop::MainWindow *window() const { return m_app->mainWindow(); }
    Desktop::ConversationView *conversation() const { return window()->conversation(); }
    SearchPanel *panel() const { return window()->searchPanel(); }
    SearchModel *results() const { return panel()->model(); }
    QLineEdit *field() const { return panel()->field(); }
    QString textOf(int row) const { return results()->index(row).data(SearchModel::TextRole).toString(); }
    QStringList highlighted(int row) const;
    // The message's row is loaded and (partly) inside the list's viewport.
    bool isOnScreen(qint64 seq) const;
    void post(const QString &room, const QStringList &texts);
    void joinWithTheDialog(const QString &room);
    void typeQuery(const QString &query);

    Testing::ConfabdProcess m_server;
    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<Desktop::DesktopApp> m_app;
    ChatSession m_bob;
    qint64 m_crossingSeq = 0;          // random's "Zebra crossing…"
    static constexpr int Filler = 200; // more than a page: the oldest message is not loaded
};

void tst_Search::initTestCase()
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
    for (const QString &room : { QStringLiteral("general"), QStringLiteral("random") }) {
        bool created = false;
        m_bob.request(QStringLiteral("room:create"), { { QStringLiteral("room"), room } },
                      [&](const QJsonObject &) { created = true; });
        QTRY_VERIFY_WITH_TIMEOUT(created, 10000);
    }
    QStringList general { QStringLiteral("An ancient zebra drawing") };
    for (int i = 1; i <= Filler; ++i)
        general.append(QStringLiteral("filler line %1").arg(i));
    general.append({ QStringLiteral("The café opens at nine"), QStringLiteral("Cafeteria menu for Monday"),
                     QStringLiteral("Nothing to see here") });
    post(QStringLiteral("general"), general);
    post(QStringLiteral("random"),
         { QStringLiteral("Zebra crossing near the CAFE"), QStringLiteral("A quiet afternoon") });

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
    window()->resize(1000, 650);
    window()->show();
    QVERIFY(QTest::qWaitForWindowExposed(window()));
    joinWithTheDialog(QStringLiteral("random"));
    QTRY_VERIFY_WITH_TIMEOUT(conversation()->messages()->rowCount() == 2, 10000); // and so in the cache
    joinWithTheDialog(QStringLiteral("general"));
    QTRY_VERIFY_WITH_TIMEOUT(conversation()->messages()->rowCount() > 0, 10000);
    // The dialogs took the activation with them (offscreen, nothing gives it back): the
    // shortcuts need an active window, as they do for a user.
    window()->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(window()));
}

void tst_Search::cleanupTestCase()
{
    m_app.reset();
}

void tst_Search::post(const QString &room, const QStringList &texts)
{
    QSignalSpy sent(&m_bob, &ChatSession::messageSent);
    for (const QString &text : texts)
        m_bob.sendMessage(room, text);
    QTRY_COMPARE_WITH_TIMEOUT(sent.count(), texts.size(), 30000);
}

void tst_Search::joinWithTheDialog(const QString &room)
{
    window()->findChild<QAction *>(QStringLiteral("joinRoomAction"))->trigger();
    QInputDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window()->findChild<QInputDialog *>(QStringLiteral("joinRoomDialog"))));
    dialog->setTextValue(room);
    dialog->accept();
    QTRY_COMPARE_WITH_TIMEOUT(window()->currentRoom(), room, 10000);
}

// Replaces what the field holds, as a user would: select all, then type.
void tst_Search::typeQuery(const QString &query)
{
    QTest::keyClick(field(), Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(field(), query);
    QCOMPARE(field()->text(), query);
}

QStringList tst_Search::highlighted(int row) const
{
    const QModelIndex index = results()->index(row);
    const QString text = index.data(SearchModel::TextRole).toString();
    QStringList parts;
    for (const Desktop::TextRange &range : index.data(SearchModel::HighlightsRole).value<QList<Desktop::TextRange>>())
        parts.append(text.mid(range.start, range.length));
    return parts;
}

bool tst_Search::isOnScreen(qint64 seq) const
{
    MessageModel *messages = conversation()->messages();
    const int row = messages ? messages->rowOfSeq(seq) : -1;
    if (row < 0)
        return false;
    QListView *list = conversation()->messageList();
    const QRect rect = list->visualRect(messages->index(row));
    return rect.isValid() && list->viewport()->rect().intersects(rect);
}

void tst_Search::matchRangesFollowTheIndex()
{
    using Desktop::TextRange;
    const QString text = QStringLiteral("Café, CAFETERIA and a cafe; not decaf");
    // Any case, any accents; the last word also as a prefix (only the typed part).
    QCOMPARE(Desktop::matchRanges(text, QStringLiteral("cafe")), (QList<TextRange> { { 0, 4 }, { 6, 4 }, { 22, 4 } }));
    QCOMPARE(Desktop::matchRanges(text, QStringLiteral("cafés")), QList<TextRange> {});
    // Earlier words only whole.
    QCOMPARE(Desktop::matchRanges(text, QStringLiteral("caf and")), (QList<TextRange> { { 16, 3 } }));
    QCOMPARE(Desktop::matchRanges(text, QStringLiteral("  ")), QList<TextRange> {});
    // A decomposed accent belongs to its letter.
    const QString decomposed = QStringLiteral("cafe\u0301 ouvert");
    QCOMPARE(Desktop::matchRanges(decomposed, QStringLiteral("CAFE")), (QList<TextRange> { { 0, 5 } }));

    // A match deep in a long message is shown with the words before it.
    const QString longText = QStringLiteral("word ").repeated(100) + QStringLiteral("needle");
    const auto shown
        = Desktop::SearchDelegate::snippet(longText, Desktop::matchRanges(longText, QStringLiteral("needle")), 120);
    QVERIFY(shown.text.size() < 60);
    QCOMPARE(shown.ranges.size(), 1);
    QCOMPARE(shown.text.mid(shown.ranges.first().start, shown.ranges.first().length), QStringLiteral("needle"));
}

void tst_Search::ctrlFListsTheRoomsMatchesHighlighted()
{
    QCOMPARE(window()->currentRoom(), QStringLiteral("general"));
    QCOMPARE(window()->findChild<QAction *>(QStringLiteral("findInRoomAction"))->shortcut(),
             QKeySequence(QStringLiteral("Ctrl+F")));
    QVERIFY(panel()->isHidden());
    QTest::keyClick(conversation()->composer(), Qt::Key_F, Qt::ControlModifier);
    QVERIFY(panel()->isVisible());
    QCOMPARE(panel()->scope(), SearchPanel::Scope::Room);
    QTRY_VERIFY(field()->hasFocus());

    QSignalSpy started(panel(), &SearchPanel::searchStarted);
    QTest::keyClicks(field(), QStringLiteral("cafe"));
    QCOMPARE(panel()->statusText(), QStringLiteral("Searching…"));
    QVERIFY(started.wait(5000));
    QCOMPARE(started.count(), 1); // one query for the word typed at once, not one per key
    QCOMPARE(started.first().first().toString(), QStringLiteral("cafe"));
    // general's two, not random's "CAFE", newest first, the matched words marked.
    QTRY_COMPARE_WITH_TIMEOUT(results()->rowCount(), 2, 10000);
    QCOMPARE(textOf(0), QStringLiteral("Cafeteria menu for Monday"));
    QCOMPARE(textOf(1), QStringLiteral("The café opens at nine"));
    QCOMPARE(highlighted(0), QStringList { QStringLiteral("Cafe") });
    QCOMPARE(highlighted(1), QStringList { QStringLiteral("café") });
    for (int row = 0; row < 2; ++row)
        QCOMPARE(results()->index(row).data(SearchModel::RoomRole).toString(), QStringLiteral("general"));
    QVERIFY(!panel()->delegate()->showsRooms());
    QCOMPARE(panel()->statusText(), QString());
    QVERIFY(!panel()->isLocalOnly()); // the server answered
    QCOMPARE(panel()->results()->currentIndex().row(), 0);

    typeQuery(QStringLiteral("xylophone"));
    QTRY_COMPARE_WITH_TIMEOUT(panel()->statusText(), QStringLiteral("No messages found"), 10000);
    QCOMPARE(results()->rowCount(), 0);
}

void tst_Search::escClosesThePanelAndReturnsToTheComposer()
{
    QVERIFY(panel()->isVisible());
    QVERIFY(!window()->findChild<QWidget *>(QStringLiteral("memberPanel"))->isVisible());
    QTest::keyClick(field(), Qt::Key_Escape);
    QVERIFY(panel()->isHidden());
    QVERIFY(window()->findChild<QWidget *>(QStringLiteral("memberPanel"))->isVisible());
    QTRY_VERIFY(conversation()->composer()->hasFocus());
}

void tst_Search::ctrlShiftFFindsOtherRoomsAndEnterGoesThere()
{
    QCOMPARE(window()->currentRoom(), QStringLiteral("general"));
    QTest::keyClick(conversation()->composer(), Qt::Key_F, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(panel()->isVisible());
    QCOMPARE(panel()->scope(), SearchPanel::Scope::Everywhere);
    QTRY_VERIFY(field()->hasFocus());
    QCOMPARE(field()->selectedText(), field()->text()); // the last query, ready to be typed over
    QTest::keyClicks(field(), QStringLiteral("zebra"));
    QCOMPARE(field()->text(), QStringLiteral("zebra"));
    QTRY_COMPARE_WITH_TIMEOUT(results()->rowCount(), 2, 10000);
    QCOMPARE(results()->index(0).data(SearchModel::RoomRole).toString(), QStringLiteral("random"));
    QCOMPARE(results()->index(0).data(SearchModel::RoomTitleRole).toString(), QStringLiteral("#random"));
    QCOMPARE(results()->index(1).data(SearchModel::RoomRole).toString(), QStringLiteral("general"));
    QCOMPARE(highlighted(0), QStringList { QStringLiteral("Zebra") });
    QVERIFY(panel()->delegate()->showsRooms());

    // Enter on the first: random opens at that message; the field keeps the focus.
    m_crossingSeq = results()->index(0).data(SearchModel::SeqRole).toLongLong();
    QVERIFY(m_crossingSeq > 0);
    QTest::keyClick(field(), Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(window()->currentRoom(), QStringLiteral("random"), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(isOnScreen(m_crossingSeq), 10000);
    QVERIFY(field()->hasFocus());
    QVERIFY(panel()->isVisible());

    // Down to the oldest message of general, far before its loaded page: Enter goes back
    // to general, and the page around the message is loaded and scrolled to.
    QTest::keyClick(field(), Qt::Key_Down);
    QCOMPARE(panel()->results()->currentIndex().row(), 1);
    const qint64 ancient = results()->index(1).data(SearchModel::SeqRole).toLongLong();
    QCOMPARE(textOf(1), QStringLiteral("An ancient zebra drawing"));
    QTest::keyClick(field(), Qt::Key_Up);
    QCOMPARE(panel()->results()->currentIndex().row(), 0);
    QTest::keyClick(field(), Qt::Key_Down);
    QTest::keyClick(field(), Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(window()->currentRoom(), QStringLiteral("general"), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(isOnScreen(ancient), 10000);
}

void tst_Search::messageLinksGoToTheMessage()
{
    // A confab:// link to the crossing in random, clicked in general.
    QCOMPARE(window()->currentRoom(), QStringLiteral("general"));
    Q_EMIT conversation()->messageLinkActivated(QStringLiteral("random"), m_crossingSeq);
    QCOMPARE(window()->currentRoom(), QStringLiteral("random"));
    QTRY_VERIFY_WITH_TIMEOUT(isOnScreen(m_crossingSeq), 10000);
    QCOMPARE(conversation()
                 ->messages()
                 ->index(conversation()->messages()->rowOfSeq(m_crossingSeq))
                 .data(MessageModel::TextRole)
                 .toString(),
             QStringLiteral("Zebra crossing near the CAFE"));
    // A room the user is not in: nothing happens but a word why.
    Q_EMIT conversation()->messageLinkActivated(QStringLiteral("elsewhere"), 3);
    QCOMPARE(window()->currentRoom(), QStringLiteral("random"));
}

void tst_Search::staleAnswersDoNotReplaceNewerResults()
{
    QTest::keyClick(conversation()->composer(), Qt::Key_F, Qt::ControlModifier | Qt::ShiftModifier);
    QTRY_VERIFY(field()->hasFocus());
    QSignalSpy started(panel(), &SearchPanel::searchStarted);
    QStringList listed; // the query of every list shown from here on

    // The server stops answering: "ancient" is asked, then the user types on.
    m_server.suspend();
    typeQuery(QStringLiteral("ancient"));
    const QMetaObject::Connection watch
        = connect(results(), &QAbstractItemModel::modelReset, this, [&] { listed.append(results()->query()); });
    QVERIFY(started.wait(5000));
    QCOMPARE(started.last().first().toString(), QStringLiteral("ancient"));
    typeQuery(QStringLiteral("afternoon"));
    QVERIFY(started.wait(5000));
    QCOMPARE(started.last().first().toString(), QStringLiteral("afternoon"));
    QCOMPARE(panel()->statusText(), QStringLiteral("Searching…"));
    // Both answers come now, the older query's first.
    m_server.resume();
    QTRY_COMPARE_WITH_TIMEOUT(results()->query(), QStringLiteral("afternoon"), 10000);
    // A request after both searches: once answered, the server has answered them too.
    bool answered = false;
    m_app->session()->listRooms([&](const auto &) { answered = true; });
    QTRY_VERIFY_WITH_TIMEOUT(answered, 10000);
    QApplication::processEvents();
    disconnect(watch);
    QCOMPARE(listed, QStringList { QStringLiteral("afternoon") });
    QCOMPARE(results()->rowCount(), 1);
    QCOMPARE(textOf(0), QStringLiteral("A quiet afternoon"));
    QCOMPARE(panel()->statusText(), QString());
}

void tst_Search::offlineTheCacheAnswers()
{
    m_server.kill();
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->session()->isOnline(), 15000);
    // Everywhere: what this device has kept of both rooms.
    QTest::keyClick(conversation()->composer(), Qt::Key_F, Qt::ControlModifier | Qt::ShiftModifier);
    QTRY_VERIFY(field()->hasFocus());
    typeQuery(QStringLiteral("zebra"));
    QTRY_COMPARE_WITH_TIMEOUT(results()->query(), QStringLiteral("zebra"), 5000); // not the last query's list
    QVERIFY(results()->rowCount() > 0);
    QCOMPARE(textOf(0), QStringLiteral("Zebra crossing near the CAFE"));
    QVERIFY(panel()->isLocalOnly());
    QCOMPARE(highlighted(0), QStringList { QStringLiteral("Zebra") });

    // In the room: general's café and cafeteria, cached when the room was read.
    window()->selectRoom(QStringLiteral("general"));
    QTest::keyClick(conversation()->composer(), Qt::Key_F, Qt::ControlModifier);
    QCOMPARE(panel()->scope(), SearchPanel::Scope::Room);
    QTRY_VERIFY(field()->hasFocus());
    typeQuery(QStringLiteral("CAFÉ"));
    QTRY_COMPARE_WITH_TIMEOUT(results()->query(), QStringLiteral("CAFÉ"), 5000);
    QCOMPARE(results()->rowCount(), 2);
    QCOMPARE(textOf(0), QStringLiteral("Cafeteria menu for Monday"));
    QCOMPARE(highlighted(1), QStringList { QStringLiteral("café") });
    QVERIFY(panel()->isLocalOnly());
}

QTEST_MAIN(tst_Search)
#include "tst_search.moc"
