// What a user does with a message in the desktop app, offscreen against a real confabd
// with bob as a second user: the context menu offers what the message allows (no Edit or
// Delete on someone else's) and copies its text; Up in the empty composer edits the last
// own message (banner, text, "(edited)"), Esc cancels and gives the draft back; a reply
// carries a quote that leads to the original (loading its page when it is older than the
// loaded one) and flashes it; reactions show as chips, counted, named on hover, and a
// click on one's own chip takes it back; the hover bar's buttons; delete asks first and
// leaves a placeholder; a message's files show as chips that open (downloaded once) and
// save elsewhere.
#include "chatsession.h"
#include "composer.h"
#include "composerbanner.h"
#include "confabdprocess.h"
#include "conversationview.h"
#include "desktopapp.h"
#include "emojipicker.h"
#include "mainwindow.h"
#include "messagedelegate.h"
#include "messagehoverbar.h"
#include "messagelistview.h"
#include "messagemodel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QFile>
#include <QFileInfo>
#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QToolTip>

using namespace Confab;
using Client::ChatSession;
using Client::MessageModel;
using Part = Desktop::MessageDelegate::Part;

class tst_MessageActions : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void contextMenuOffersWhatTheMessageAllows();
    void upInTheEmptyComposerEditsTheLastOwnMessage();
    void escCancelsAnEditAndGivesTheDraftBack();
    void aReplyCarriesAQuoteThatLeadsToTheOriginal();
    void aQuoteOfAnOlderMessageLoadsItsPage();
    void reactionChipsCountToggleAndNameWhoReacted();
    void hoverBarRepliesAndReacts();
    void deleteAsksFirstAndLeavesAPlaceholder();
    void filesShowAsChipsThatOpenAndSave();
    void cleanupTestCase();

private:
    Desktop::MainWindow *window() const { return m_app->mainWindow(); }
    Desktop::ConversationView *conversation() const { return window()->conversation(); }
    MessageModel *messages() const { return conversation()->messages(); }
    Desktop::Composer *composer() const { return conversation()->composer(); }
    Desktop::ComposerBanner *banner() const { return conversation()->composerBanner(); }
    Desktop::MessageListView *list() const
    {
        return qobject_cast<Desktop::MessageListView *>(conversation()->messageList());
    }
    QModelIndex indexOf(int row) const { return messages()->index(row); }
    QString textOf(int row) const { return indexOf(row).data(MessageModel::TextRole).toString(); }
    // The newest row with this text, -1 when none.
    int rowOfText(const QString &text) const;
    QStyleOptionViewItem optionFor(int row) const;
    QString shownTextOf(int row) const;
    // A point over `part` of a row, {-1, -1} when the row has none.
    QPoint pointOf(int row, Part part) const;
    bool isOnScreen(int row) const;
    QVariantMap reactionOf(int row, const QString &emoji) const;
    // Alice writes in the composer and presses Enter; the row once the server has it.
    int sendAsAlice(const QString &text);
    void post(const QStringList &texts);
    void joinWithTheDialog(const QString &room);
    // The window is given back the activation a dialog or menu took (offscreen nothing does).
    void activate();
    QMenu *openMenu(int row);
    static QStringList actionNames(const QMenu *menu);
    static QAction *actionNamed(const QMenu *menu, const QString &name);
    void closeMenu(QMenu *menu);

    Testing::ConfabdProcess m_server;
    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<Desktop::DesktopApp> m_app;
    ChatSession m_bob;
    const QString m_room = QStringLiteral("actions");
    QString m_originalId; // bob's first message, far older than the page a room opens at
    static constexpr int Filler = 300;
};

void tst_MessageActions::initTestCase()
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
    QStringList texts { QStringLiteral("The original question, asked long ago") };
    for (int i = 1; i <= Filler; ++i)
        texts.append(QStringLiteral("filler %1").arg(i));
    texts.append(QStringLiteral("Anyone around?"));
    post(texts);

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
    window()->resize(1000, 700);
    window()->show();
    QVERIFY(QTest::qWaitForWindowExposed(window()));
    joinWithTheDialog(m_room);
    QTRY_VERIFY_WITH_TIMEOUT(rowOfText(QStringLiteral("Anyone around?")) >= 0, 10000);
    // The room opens at its newest page: the first message is not loaded.
    QCOMPARE(rowOfText(QStringLiteral("The original question, asked long ago")), -1);
    QVERIFY(messages()->firstSeq() > 1);
    activate();
}

// Each test starts at the newest message with the window active, whatever the last left.
void tst_MessageActions::init()
{
    conversation()->jumpToLatest();
    QTRY_VERIFY(conversation()->isAtBottom());
    activate();
}

void tst_MessageActions::cleanupTestCase()
{
    m_app.reset();
}

void tst_MessageActions::post(const QStringList &texts)
{
    QSignalSpy sent(&m_bob, &ChatSession::messageSent);
    for (const QString &text : texts)
        m_bob.sendMessage(m_room, text);
    QTRY_COMPARE_WITH_TIMEOUT(sent.count(), texts.size(), 30000);
    if (m_originalId.isEmpty())
        m_originalId = sent.first().at(1).toJsonObject().value(QStringLiteral("id")).toString();
}

void tst_MessageActions::joinWithTheDialog(const QString &room)
{
    window()->findChild<QAction *>(QStringLiteral("joinRoomAction"))->trigger();
    QInputDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window()->findChild<QInputDialog *>(QStringLiteral("joinRoomDialog"))));
    dialog->setTextValue(room);
    dialog->accept();
    QTRY_COMPARE_WITH_TIMEOUT(window()->currentRoom(), room, 10000);
}

void tst_MessageActions::activate()
{
    window()->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(window()));
}

int tst_MessageActions::rowOfText(const QString &text) const
{
    if (!messages())
        return -1;
    for (int row = messages()->rowCount() - 1; row >= 0; --row) {
        if (textOf(row) == text)
            return row;
    }
    return -1;
}

QStyleOptionViewItem tst_MessageActions::optionFor(int row) const
{
    QStyleOptionViewItem option;
    option.initFrom(list());
    option.font = list()->font();
    option.widget = list();
    option.rect = list()->visualRect(indexOf(row));
    return option;
}

QString tst_MessageActions::shownTextOf(int row) const
{
    return conversation()->delegate()->shownText(optionFor(row), indexOf(row));
}

QPoint tst_MessageActions::pointOf(int row, Part part) const
{
    const QStyleOptionViewItem option = optionFor(row);
    auto *delegate = conversation()->delegate();
    for (int y = option.rect.top(); y <= option.rect.bottom(); y += 2) {
        for (int x = option.rect.left(); x <= option.rect.right(); x += 2) {
            if (delegate->partAt(option, indexOf(row), QPoint(x, y)) == part)
                return { x, y };
        }
    }
    return { -1, -1 };
}

bool tst_MessageActions::isOnScreen(int row) const
{
    if (row < 0)
        return false;
    const QRect rect = list()->visualRect(indexOf(row));
    return rect.isValid() && list()->viewport()->rect().contains(rect.center());
}

QVariantMap tst_MessageActions::reactionOf(int row, const QString &emoji) const
{
    for (const QVariant &reaction : indexOf(row).data(MessageModel::ReactionsRole).toList()) {
        if (reaction.toMap().value(QStringLiteral("emoji")).toString() == emoji)
            return reaction.toMap();
    }
    return {};
}

int tst_MessageActions::sendAsAlice(const QString &text)
{
    composer()->setFocus();
    QTest::keyClicks(composer(), text);
    QTest::keyClick(composer(), Qt::Key_Return);
    if (!composer()->toPlainText().isEmpty())
        return -1;
    auto stored = [&] {
        const int row = rowOfText(text);
        return row >= 0 && indexOf(row).data(MessageModel::SeqRole).toLongLong() > 0 ? row : -1;
    };
    if (!QTest::qWaitFor([&] { return stored() >= 0; }, 10000))
        return -1;
    return stored();
}

QMenu *tst_MessageActions::openMenu(int row)
{
    list()->scrollTo(indexOf(row));
    const QPoint point = pointOf(row, Part::Text);
    if (point.x() < 0)
        return nullptr;
    QContextMenuEvent event(QContextMenuEvent::Mouse, point, list()->viewport()->mapToGlobal(point));
    QApplication::sendEvent(list()->viewport(), &event);
    return list()->findChild<QMenu *>(QStringLiteral("messageMenu"));
}

QStringList tst_MessageActions::actionNames(const QMenu *menu)
{
    QStringList names;
    for (QAction *action : menu->actions()) {
        if (!action->isSeparator())
            names.append(action->text().remove(QLatin1Char('&')));
    }
    return names;
}

QAction *tst_MessageActions::actionNamed(const QMenu *menu, const QString &name)
{
    for (QAction *action : menu->actions()) {
        if (action->text().remove(QLatin1Char('&')) == name)
            return action;
    }
    return nullptr;
}

void tst_MessageActions::closeMenu(QMenu *menu)
{
    QPointer<QMenu> gone(menu);
    menu->close();
    QTRY_VERIFY(!gone); // deleted on close, so the next findChild finds the next menu
}

void tst_MessageActions::contextMenuOffersWhatTheMessageAllows()
{
    // Bob's message: reply, react and copy; neither edit nor delete for a plain member.
    const int bobs = rowOfText(QStringLiteral("Anyone around?"));
    QMenu *menu = openMenu(bobs);
    QVERIFY(menu);
    QCOMPARE(actionNames(menu),
             (QStringList { QStringLiteral("Reply"), QStringLiteral("React"), QStringLiteral("Copy Text"),
                            QStringLiteral("Copy Message Link") }));
    QVERIFY(!menu->findChild<QAction *>(QStringLiteral("deleteAction")));
    QVERIFY(!menu->findChild<QAction *>(QStringLiteral("editAction")));
    QGuiApplication::clipboard()->clear();
    actionNamed(menu, QStringLiteral("Copy Text"))->trigger();
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("Anyone around?"));
    closeMenu(menu);

    // Alice's own: edit and delete too; Copy Text copies what she wrote, Markdown and all.
    const QString code = QStringLiteral("Try this:\n```\nmake -j2\n```");
    const int own = sendAsAlice(QStringLiteral("Try this:"));
    QVERIFY(own >= 0);
    composer()->setPlainText(code);
    QTest::keyClick(composer(), Qt::Key_Return);
    // The row is looked up again each time: the ack can move the pending row.
    QTRY_VERIFY_WITH_TIMEOUT(rowOfText(code) >= 0
                                 && indexOf(rowOfText(code)).data(MessageModel::SeqRole).toLongLong() > 0,
                             20000);
    const int codeRow = rowOfText(code);
    menu = openMenu(codeRow);
    QVERIFY(menu);
    QCOMPARE(actionNames(menu),
             (QStringList { QStringLiteral("Reply"), QStringLiteral("React"), QStringLiteral("Copy Text"),
                            QStringLiteral("Copy Message Link"), QStringLiteral("Edit"), QStringLiteral("Delete…") }));
    actionNamed(menu, QStringLiteral("Copy Text"))->trigger();
    QCOMPARE(QGuiApplication::clipboard()->text(), code);
    closeMenu(menu);
    activate();
}

void tst_MessageActions::upInTheEmptyComposerEditsTheLastOwnMessage()
{
    const int row = sendAsAlice(QStringLiteral("See you at 10"));
    QVERIFY(row >= 0);
    const QString id = indexOf(row).data(MessageModel::IdRole).toString();
    post({ QStringLiteral("Sounds good") }); // the newest message is bob's: Up skips it
    QTRY_VERIFY_WITH_TIMEOUT(rowOfText(QStringLiteral("Sounds good")) >= 0, 10000);
    activate();

    QVERIFY(composer()->toPlainText().isEmpty());
    QVERIFY(banner()->isHidden());
    QTest::keyClick(composer(), Qt::Key_Up);
    QVERIFY(banner()->isVisible());
    QCOMPARE(banner()->text(), QStringLiteral("Editing message: See you at 10"));
    QCOMPARE(composer()->toPlainText(), QStringLiteral("See you at 10"));
    QVERIFY(composer()->hasFocus());
    QCOMPARE(composer()->textCursor().position(), composer()->toPlainText().size()); // typing goes on at the end

    // Up in a composer with text moves the cursor, it does not start another edit.
    QTest::keyClick(composer(), Qt::Key_Up);
    QCOMPARE(composer()->toPlainText(), QStringLiteral("See you at 10"));

    QSignalSpy updated(&m_bob, &ChatSession::messageUpdated);
    QTest::keyClick(composer(), Qt::Key_Backspace);
    QTest::keyClicks(composer(), QStringLiteral("1:30"));
    QTest::keyClick(composer(), Qt::Key_Return);
    QVERIFY(banner()->isHidden());
    QVERIFY(composer()->toPlainText().isEmpty()); // the draft from before: none
    // The row shows the new text with the note; bob gets the edit.
    const int edited = messages()->rowOfSeq(indexOf(row).data(MessageModel::SeqRole).toLongLong());
    QTRY_COMPARE_WITH_TIMEOUT(textOf(edited), QStringLiteral("See you at 11:30"), 10000);
    QCOMPARE(indexOf(edited).data(MessageModel::IdRole).toString(), id); // edited, not sent anew
    QTRY_VERIFY(indexOf(edited).data(MessageModel::EditedAtRole).toLongLong() > 0);
    QCOMPARE(shownTextOf(edited), QStringLiteral("See you at 11:30 (edited)"));
    QCOMPARE(rowOfText(QStringLiteral("See you at 10")), -1);
    QTRY_VERIFY_WITH_TIMEOUT(!updated.isEmpty(), 10000);
    QCOMPARE(updated.last().first().value<Chat::Message>().text, QStringLiteral("See you at 11:30"));

    // Up, then Enter without a change: nothing is sent.
    QTest::keyClick(composer(), Qt::Key_Up);
    QCOMPARE(composer()->toPlainText(), QStringLiteral("See you at 11:30"));
    QSignalSpy queued(m_app->session(), &ChatSession::changeQueued);
    QTest::keyClick(composer(), Qt::Key_Return);
    QVERIFY(banner()->isHidden());
    QVERIFY(composer()->toPlainText().isEmpty());
    QCOMPARE(queued.count(), 0);
}

void tst_MessageActions::escCancelsAnEditAndGivesTheDraftBack()
{
    const int row = rowOfText(QStringLiteral("See you at 11:30"));
    QVERIFY(row >= 0);
    activate();
    composer()->setFocus();
    QTest::keyClicks(composer(), QStringLiteral("half a thought"));
    // Edit from the menu while a draft is there: the draft waits.
    QMenu *menu = openMenu(row);
    QVERIFY(menu);
    actionNamed(menu, QStringLiteral("Edit"))->trigger();
    closeMenu(menu);
    activate();
    QVERIFY(banner()->isVisible());
    QCOMPARE(composer()->toPlainText(), QStringLiteral("See you at 11:30"));
    QTRY_VERIFY(composer()->hasFocus());
    QTest::keyClicks(composer(), QStringLiteral(" sharp"));

    QSignalSpy queued(m_app->session(), &ChatSession::changeQueued);
    QTest::keyClick(composer(), Qt::Key_Escape);
    QVERIFY(banner()->isHidden());
    QCOMPARE(composer()->toPlainText(), QStringLiteral("half a thought"));
    QCOMPARE(queued.count(), 0);
    QCOMPARE(textOf(row), QStringLiteral("See you at 11:30"));
    // Esc again is the window's again (back to the composer): the draft stays.
    QTest::keyClick(composer(), Qt::Key_Escape);
    QCOMPARE(composer()->toPlainText(), QStringLiteral("half a thought"));

    // The banner's × cancels too.
    composer()->clear();
    QTest::keyClick(composer(), Qt::Key_Up);
    QVERIFY(banner()->isVisible());
    QTest::mouseClick(banner()->closeButton(), Qt::LeftButton);
    QVERIFY(banner()->isHidden());
    QVERIFY(composer()->toPlainText().isEmpty());
}

void tst_MessageActions::aReplyCarriesAQuoteThatLeadsToTheOriginal()
{
    const int original = rowOfText(QStringLiteral("Sounds good"));
    QVERIFY(original >= 0);
    const QString originalId = indexOf(original).data(MessageModel::IdRole).toString();
    const qint64 originalSeq = indexOf(original).data(MessageModel::SeqRole).toLongLong();
    QMenu *menu = openMenu(original);
    QVERIFY(menu);
    actionNamed(menu, QStringLiteral("Reply"))->trigger();
    closeMenu(menu);
    activate();
    QVERIFY(banner()->isVisible());
    QCOMPARE(banner()->text(), QStringLiteral("Replying to bob: Sounds good"));
    QTRY_VERIFY(composer()->hasFocus());

    QSignalSpy received(&m_bob, &ChatSession::messageReceived);
    const int reply = sendAsAlice(QStringLiteral("Great, see you then"));
    QVERIFY(reply >= 0);
    QVERIFY(banner()->isHidden());
    const QVariantMap quote = indexOf(reply).data(MessageModel::ReplyToRole).toMap();
    QCOMPARE(quote.value(QStringLiteral("id")).toString(), originalId);
    QCOMPARE(quote.value(QStringLiteral("seq")).toLongLong(), originalSeq);
    QCOMPARE(quote.value(QStringLiteral("from")).toString(), QStringLiteral("bob"));
    QCOMPARE(quote.value(QStringLiteral("text")).toString(), QStringLiteral("Sounds good"));
    // Bob's client gets the reply with its quote.
    QTRY_VERIFY_WITH_TIMEOUT(!received.isEmpty(), 10000);
    const QJsonObject got = received.last().first().toJsonObject();
    QCOMPARE(got.value(QStringLiteral("text")).toString(), QStringLiteral("Great, see you then"));
    QCOMPARE(got.value(QStringLiteral("replyTo")).toObject().value(QStringLiteral("id")).toString(), originalId);

    // The next message is not a reply any more.
    const int plain = sendAsAlice(QStringLiteral("(bringing snacks)"));
    QVERIFY(plain >= 0);
    QVERIFY(!indexOf(plain).data(MessageModel::ReplyToRole).isValid());
    QCOMPARE(pointOf(plain, Part::Quote), QPoint(-1, -1));

    // Scrolled to the bottom the original is out of sight; a click on the quote leads to it.
    const int replyRow = rowOfText(QStringLiteral("Great, see you then"));
    list()->scrollTo(indexOf(replyRow));
    const QPoint quotePoint = pointOf(replyRow, Part::Quote);
    QVERIFY(quotePoint.x() >= 0);
    QSignalSpy flashed(list(), &Desktop::MessageListView::flashed);
    QTest::mouseClick(list()->viewport(), Qt::LeftButton, {}, quotePoint);
    QTRY_COMPARE(flashed.count(), 1);
    const QModelIndex shown = flashed.last().first().value<QModelIndex>();
    QCOMPARE(shown.data(MessageModel::SeqRole).toLongLong(), originalSeq);
    QTRY_VERIFY(isOnScreen(messages()->rowOfSeq(originalSeq)));
    // The row is drawn tinted, fading.
    QTRY_COMPARE(conversation()->delegate()->flashIndex().data(MessageModel::SeqRole).toLongLong(), originalSeq);
    // So near the newest it was shown where it was, the view still at the bottom: it
    // follows what arrives as before.
    QVERIFY(conversation()->isAtBottom());
    post({ QStringLiteral("On my way") });
    QTRY_VERIFY_WITH_TIMEOUT(rowOfText(QStringLiteral("On my way")) >= 0, 10000);
    QTRY_VERIFY(isOnScreen(rowOfText(QStringLiteral("On my way"))));
    QTRY_VERIFY(conversation()->isAtBottom());
    QVERIFY(conversation()->jumpToLatestButton()->isHidden());
}

void tst_MessageActions::aQuoteOfAnOlderMessageLoadsItsPage()
{
    // Bob answers his own first message, long out of the loaded page.
    QVERIFY(!m_originalId.isEmpty());
    QSignalSpy sent(&m_bob, &ChatSession::messageSent);
    m_bob.sendMessage(m_room, QStringLiteral("Still open, that question"), nullptr, m_originalId.toLatin1());
    QVERIFY(sent.wait(10000));
    QTRY_VERIFY_WITH_TIMEOUT(rowOfText(QStringLiteral("Still open, that question")) >= 0, 10000);
    const int reply = rowOfText(QStringLiteral("Still open, that question"));
    QCOMPARE(indexOf(reply).data(MessageModel::ReplyToRole).toMap().value(QStringLiteral("seq")).toLongLong(), 1);
    QCOMPARE(messages()->rowOfSeq(1), -1);
    QTRY_VERIFY(isOnScreen(reply));

    const QPoint quotePoint = pointOf(reply, Part::Quote);
    QVERIFY(quotePoint.x() >= 0);
    QSignalSpy flashed(list(), &Desktop::MessageListView::flashed);
    QTest::mouseClick(list()->viewport(), Qt::LeftButton, {}, quotePoint);
    QTRY_COMPARE_WITH_TIMEOUT(flashed.count(), 1, 10000); // once its page came from the server
    QCOMPARE(flashed.last().first().value<QModelIndex>().data(MessageModel::SeqRole).toLongLong(), 1);
    const int row = messages()->rowOfSeq(1);
    QVERIFY(row >= 0);
    QCOMPARE(textOf(row), QStringLiteral("The original question, asked long ago"));
    QTRY_VERIFY(isOnScreen(messages()->rowOfSeq(1)));
    // It stays there once the list has settled (loads around it keep it in place).
    QTRY_VERIFY(!messages()->isLoadingOlder());
    QVERIFY(isOnScreen(messages()->rowOfSeq(1)));
    conversation()->jumpToLatest();
    QTRY_VERIFY_WITH_TIMEOUT(rowOfText(QStringLiteral("Still open, that question")) >= 0, 10000);
    QTRY_VERIFY(conversation()->isAtBottom());
}

void tst_MessageActions::reactionChipsCountToggleAndNameWhoReacted()
{
    const QString thumbs = QStringLiteral("👍");
    int row = rowOfText(QStringLiteral("(bringing snacks)"));
    QVERIFY(row >= 0);
    const QString id = indexOf(row).data(MessageModel::IdRole).toString();
    QCOMPARE(pointOf(row, Part::Reaction), QPoint(-1, -1));
    const int heightBefore = list()->visualRect(indexOf(row)).height();

    // React ▸ 👍 in the menu: a chip "👍 1", tinted as alice's.
    QMenu *menu = openMenu(row);
    QVERIFY(menu);
    QMenu *react = menu->findChild<QMenu *>(QStringLiteral("reactMenu"));
    QVERIFY(react);
    QStringList offered;
    for (QAction *action : react->actions()) {
        if (!action->isSeparator())
            offered.append(action->text());
    }
    QCOMPARE(offered, Desktop::EmojiPicker::quickReactions() + QStringList { QStringLiteral("More…") });
    react->actions().first()->trigger();
    closeMenu(menu);
    activate();
    QTRY_COMPARE_WITH_TIMEOUT(reactionOf(row, thumbs).value(QStringLiteral("count")).toInt(), 1, 10000);
    QVERIFY(reactionOf(row, thumbs).value(QStringLiteral("mine")).toBool());
    // The row grew by the chips, and the chip is where a click finds it.
    QTRY_VERIFY(list()->visualRect(indexOf(row)).height() > heightBefore);
    QVERIFY(pointOf(row, Part::Reaction).x() >= 0);

    // Bob adds his: "👍 2"; hovering the chip names both.
    m_bob.setReaction(m_room, id.toLatin1(), thumbs, true);
    QTRY_COMPARE_WITH_TIMEOUT(reactionOf(row, thumbs).value(QStringLiteral("count")).toInt(), 2, 10000);
    QVERIFY(reactionOf(row, thumbs).value(QStringLiteral("mine")).toBool());
    QPoint chip = pointOf(row, Part::Reaction);
    QVERIFY(chip.x() >= 0);
    QHelpEvent help(QEvent::ToolTip, chip, list()->viewport()->mapToGlobal(chip));
    QApplication::sendEvent(list()->viewport(), &help);
    QTRY_VERIFY(QToolTip::isVisible());
    const QString tip = QToolTip::text();
    QVERIFY2(tip == QStringLiteral("alice and bob reacted with 👍")
                 || tip == QStringLiteral("bob and alice reacted with 👍"),
             qPrintable(tip));
    QToolTip::hideText();

    // A click on the chip takes alice's back; bob's stays.
    row = messages()->rowOfSeq(indexOf(row).data(MessageModel::SeqRole).toLongLong());
    chip = pointOf(row, Part::Reaction);
    QTest::mouseClick(list()->viewport(), Qt::LeftButton, {}, chip);
    QTRY_COMPARE_WITH_TIMEOUT(reactionOf(row, thumbs).value(QStringLiteral("count")).toInt(), 1, 10000);
    QVERIFY(!reactionOf(row, thumbs).value(QStringLiteral("mine")).toBool());
    QCOMPARE(reactionOf(row, thumbs).value(QStringLiteral("users")).toStringList(),
             QStringList { QStringLiteral("bob") });
    // And a click again gives it back.
    QTest::mouseClick(list()->viewport(), Qt::LeftButton, {}, pointOf(row, Part::Reaction));
    QTRY_COMPARE_WITH_TIMEOUT(reactionOf(row, thumbs).value(QStringLiteral("count")).toInt(), 2, 10000);
    QVERIFY(reactionOf(row, thumbs).value(QStringLiteral("mine")).toBool());
}

void tst_MessageActions::hoverBarRepliesAndReacts()
{
    using Action = Desktop::MessageHoverBar::Action;
    const int row = rowOfText(QStringLiteral("Anyone around?"));
    QVERIFY(row >= 0);
    list()->scrollTo(indexOf(row), QAbstractItemView::PositionAtCenter);
    QVERIFY(isOnScreen(row));
    // The pointer over a one-line message: its bar, at its top right, with buttons of
    // full size (reaching into the row above rather than squeezed into the line).
    QVERIFY(!list()->hoverBarRect().isValid());
    const QPoint inText = pointOf(row, Part::Text);
    QVERIFY(inText.x() >= 0);
    QTest::mouseMove(list()->viewport(), inText);
    const QRect bar = list()->hoverBarRect();
    QVERIFY(bar.isValid());
    const QRect rect = list()->visualRect(indexOf(row));
    const int side = QFontMetrics(list()->font()).height() + 8;
    QCOMPARE(bar.height(), side);
    QVERIFY2(rect.height() < side, "a one-line row is lower than the bar");
    QVERIFY(bar.right() <= rect.right() && bar.left() > rect.center().x());
    QVERIFY(bar.top() < rect.top() && bar.bottom() > rect.top()); // on the row's top edge
    auto button
        = [&](Action action) { return Desktop::MessageHoverBar::buttonRect(list()->hoverBarRect(), action).center(); };
    // Over the part of the bar above the row, the bar stays this row's.
    const QPoint replyButton(button(Action::Reply).x(), bar.top() + 2);
    QVERIFY(list()->indexAt(replyButton).row() == row - 1);
    QTest::mouseMove(list()->viewport(), replyButton);
    QCOMPARE(list()->hoverBarRect(), bar);
    QHelpEvent help(QEvent::ToolTip, replyButton, list()->viewport()->mapToGlobal(replyButton));
    QApplication::sendEvent(list()->viewport(), &help);
    QTRY_VERIFY(QToolTip::isVisible());
    QCOMPARE(QToolTip::text(), QStringLiteral("Reply"));
    QToolTip::hideText();

    QTest::mouseClick(list()->viewport(), Qt::LeftButton, {}, replyButton);
    QVERIFY(banner()->isVisible());
    QCOMPARE(banner()->text(), QStringLiteral("Replying to bob: Anyone around?"));
    QCOMPARE(list()->selectedText(), QString()); // a click on a button selects no text
    activate();
    QTest::keyClick(composer(), Qt::Key_Escape);
    QVERIFY(banner()->isHidden());

    // The react button opens the picker; picking 🎉 reacts.
    const QPoint reactButton = button(Action::React);
    QTest::mouseMove(list()->viewport(), reactButton);
    QTest::mouseClick(list()->viewport(), Qt::LeftButton, {}, reactButton);
    Desktop::EmojiPicker *picker = nullptr;
    QTRY_VERIFY((picker = list()->findChild<Desktop::EmojiPicker *>(QStringLiteral("emojiPicker"))));
    QVERIFY(picker->isVisible());
    QToolButton *party = nullptr;
    for (QToolButton *button : picker->findChildren<QToolButton *>()) {
        if (button->text() == QStringLiteral("🎉"))
            party = button;
    }
    QVERIFY(party);
    QPointer<Desktop::EmojiPicker> gone(picker);
    QTest::mouseClick(party, Qt::LeftButton);
    QTRY_VERIFY(!gone);
    QTRY_COMPARE_WITH_TIMEOUT(reactionOf(row, QStringLiteral("🎉")).value(QStringLiteral("count")).toInt(), 1, 10000);
    activate();

    // The "more" button opens the message's menu; the chips moved the rows, the bar moved with them.
    QTest::mouseMove(list()->viewport(), pointOf(row, Part::Text));
    const QPoint moreButton = button(Action::More);
    QVERIFY(moreButton.x() > reactButton.x());
    QTest::mouseClick(list()->viewport(), Qt::LeftButton, {}, moreButton);
    QMenu *menu = nullptr;
    QTRY_VERIFY((menu = list()->findChild<QMenu *>(QStringLiteral("messageMenu"))));
    QVERIFY(actionNames(menu).contains(QStringLiteral("Copy Text")));
    closeMenu(menu);
    activate();

    // The pointer leaves the list: the bar goes.
    QTest::mouseMove(composer());
    QTRY_VERIFY(!list()->hoverBarRect().isValid());
}

void tst_MessageActions::deleteAsksFirstAndLeavesAPlaceholder()
{
    const int row = sendAsAlice(QStringLiteral("Oops, wrong room"));
    QVERIFY(row >= 0);
    const qint64 seq = indexOf(row).data(MessageModel::SeqRole).toLongLong();
    QTest::mouseMove(list()->viewport(), pointOf(row, Part::Text));
    QVERIFY(list()->hoverBarRect().isValid());

    // Cancel first: nothing happens.
    QMenu *menu = openMenu(row);
    QVERIFY(menu);
    actionNamed(menu, QStringLiteral("Delete…"))->trigger();
    closeMenu(menu);
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = window()->findChild<QMessageBox *>(QStringLiteral("deleteConfirmation"))));
    QVERIFY(box->isVisible());
    // The dialog has the activation: no hover actions linger behind it.
    QTRY_VERIFY(!list()->hoverBarRect().isValid());
    QCOMPARE(box->defaultButton(), box->button(QMessageBox::Cancel)); // a stray Enter deletes nothing
    QPointer<QMessageBox> closed(box);
    QSignalSpy queued(m_app->session(), &ChatSession::changeQueued);
    box->button(QMessageBox::Cancel)->click();
    QTRY_VERIFY(!closed);
    QCOMPARE(queued.count(), 0);
    QVERIFY(!indexOf(messages()->rowOfSeq(seq)).data(MessageModel::DeletedRole).toBool());
    // Back in the window, the bar is where the pointer is.
    activate();
    QTRY_VERIFY(list()->hoverBarRect().isValid());

    // Then delete.
    menu = openMenu(messages()->rowOfSeq(seq));
    QVERIFY(menu);
    actionNamed(menu, QStringLiteral("Delete…"))->trigger();
    closeMenu(menu);
    QTRY_VERIFY((box = window()->findChild<QMessageBox *>(QStringLiteral("deleteConfirmation"))));
    closed = box;
    QSignalSpy updated(&m_bob, &ChatSession::messageUpdated);
    box->findChild<QPushButton *>(QStringLiteral("confirmDeleteButton"))->click();
    QTRY_VERIFY(!closed);
    QTRY_VERIFY_WITH_TIMEOUT(indexOf(messages()->rowOfSeq(seq)).data(MessageModel::DeletedRole).toBool(), 10000);
    const int deleted = messages()->rowOfSeq(seq);
    QCOMPARE(textOf(deleted), QString());
    QCOMPARE(shownTextOf(deleted), QStringLiteral("This message was deleted."));
    QTRY_VERIFY_WITH_TIMEOUT(!updated.isEmpty(), 10000);
    QVERIFY(updated.last().first().value<Chat::Message>().deleted);
    // The placeholder offers no actions: only its link.
    QTest::mouseMove(list()->viewport(), pointOf(deleted, Part::Text));
    QVERIFY(!list()->hoverBarRect().isValid());
    menu = openMenu(deleted);
    QVERIFY(menu);
    QCOMPARE(actionNames(menu), QStringList { QStringLiteral("Copy Message Link") });
    closeMenu(menu);

    // After the dialog the shortcuts work again once the window is active.
    activate();
    QTest::keyClick(composer(), Qt::Key_Up);
    QVERIFY(banner()->isVisible());
    QCOMPARE(composer()->toPlainText(), QStringLiteral("(bringing snacks)")); // the newest not deleted
    QTest::keyClick(composer(), Qt::Key_Escape);
    QVERIFY(banner()->isHidden());
}

// Bob sends two files; alice's window shows a chip for each (name and size), a click
// downloads the file into the cache and opens it, the second click finds the cached
// copy (the server stopped meanwhile), and Save As… from the chip's menu copies it out.
void tst_MessageActions::filesShowAsChipsThatOpenAndSave()
{
    conversation()->setOpensFiles(false); // no program is started in a test
    const QByteArray notes = "notes, as bob wrote them\n";
    QByteArray picture(150 * 1024, Qt::Uninitialized);
    for (int i = 0; i < picture.size(); ++i)
        picture[i] = char(i * 7);
    const auto write = [this](const QString &name, const QByteArray &bytes) {
        QFile file(m_dir.filePath(name));
        return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size() ? file.fileName() : QString();
    };
    const QString notesPath = write(QStringLiteral("notes.txt"), notes);
    const QString picturePath = write(QStringLiteral("diagram.png"), picture);
    QSignalSpy sent(&m_bob, &ChatSession::messageSent);
    QVERIFY(m_bob.sendMessage(m_room, QStringLiteral("two files"), nullptr, {}, { { notesPath }, { picturePath } }));
    QVERIFY(sent.wait(20000));
    QTRY_VERIFY_WITH_TIMEOUT(rowOfText(QStringLiteral("two files")) >= 0, 10000);
    int row = rowOfText(QStringLiteral("two files"));
    QTRY_VERIFY(isOnScreen(row));
    const auto files = indexOf(row).data(MessageModel::AttachmentsRole).toList();
    QCOMPARE(files.size(), 2);
    QCOMPARE(files.at(1).toMap().value(QStringLiteral("name")).toString(), QStringLiteral("diagram.png"));

    // The chips are under the text, one per file, and the row is tall enough for them.
    const QStyleOptionViewItem option = optionFor(row);
    auto *delegate = conversation()->delegate();
    const QRect first = delegate->attachmentRect(option, indexOf(row), 0);
    const QRect second = delegate->attachmentRect(option, indexOf(row), 1);
    QVERIFY(first.isValid() && second.isValid());
    QVERIFY(second.top() > first.bottom());
    QVERIFY(option.rect.contains(second));
    QVERIFY(delegate->attachmentRect(option, indexOf(row), 2).isNull());
    QCOMPARE(delegate->partAt(option, indexOf(row), second.center()), Part::Attachment);
    QCOMPARE(delegate->attachmentAt(option, indexOf(row), second.center()).value(QStringLiteral("name")).toString(),
             QStringLiteral("diagram.png"));

    // A click opens it: downloaded under its own name, byte for byte.
    QSignalSpy ready(conversation(), &Desktop::ConversationView::fileReady);
    QTest::mouseClick(list()->viewport(), Qt::LeftButton, {}, second.center());
    QVERIFY(ready.wait(20000));
    const QString cached = ready.last().first().toString();
    QCOMPARE(QFileInfo(cached).fileName(), QStringLiteral("diagram.png"));
    QFile copy(cached);
    QVERIFY(copy.open(QIODevice::ReadOnly));
    QCOMPARE(copy.readAll(), picture);
    QCOMPARE(conversation()->noticeText(), QString());

    // Again with the server stopped: the cache answers.
    m_server.suspend();
    // Where the chip is now (the notice came and went above the list), and elsewhere on it,
    // so the two clicks are not taken for a double click.
    row = rowOfText(QStringLiteral("two files"));
    const QRect secondNow = delegate->attachmentRect(optionFor(row), indexOf(row), 1);
    QTest::mouseClick(list()->viewport(), Qt::LeftButton, {}, secondNow.center() + QPoint(40, 0));
    QVERIFY(ready.wait(5000));
    m_server.resume();
    QCOMPARE(ready.last().first().toString(), cached);

    // Save As… from the first chip's menu.
    const QString target = m_dir.filePath(QStringLiteral("saved-notes.txt"));
    conversation()->setSaveAsChooser(
        [target](const QString &name) { return name == u"notes.txt" ? target : QString(); });
    row = rowOfText(QStringLiteral("two files"));
    const QPoint firstNow = delegate->attachmentRect(optionFor(row), indexOf(row), 0).center();
    QContextMenuEvent menuEvent(QContextMenuEvent::Mouse, firstNow, list()->viewport()->mapToGlobal(firstNow));
    QApplication::sendEvent(list()->viewport(), &menuEvent);
    QMenu *menu = nullptr;
    QTRY_VERIFY((menu = list()->findChild<QMenu *>(QStringLiteral("messageMenu"))));
    auto *save = menu->findChild<QAction *>(QStringLiteral("saveFileAction"));
    QVERIFY(save);
    QVERIFY(menu->findChild<QAction *>(QStringLiteral("openFileAction")));
    save->trigger();
    closeMenu(menu);
    QVERIFY(ready.wait(20000));
    QCOMPARE(ready.last().first().toString(), target);
    QFile saved(target);
    QVERIFY(saved.open(QIODevice::ReadOnly));
    QCOMPARE(saved.readAll(), notes);
    QVERIFY(conversation()->noticeText().startsWith(QStringLiteral("Saved ")));
}

QTEST_MAIN(tst_MessageActions)
#include "tst_messageactions.moc"
