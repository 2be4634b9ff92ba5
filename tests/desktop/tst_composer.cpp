// The composer's helpers, without a server: @mention completion (Tab, Enter, Esc, arrows;
// the user themself not offered), mentions highlighted, spell checking with the system's
// real Hunspell dictionary (red underline, not in code — fences typed with Shift+Enter too —
// links or mentions, nor the word being typed; highlighting is never "typing"; suggestions and
// "Add to Dictionary" in the context menu, the user's words kept across restarts), and the
// Settings dialog writing the preferences and the autostart entry.
#include "autostart.h"
#include "chatsession.h"
#include "composer.h"
#include "membermodel.h"
#include "mentioncompleter.h"
#include "preferences.h"
#include "settingsdialog.h"
#include "spellchecker.h"
#include "theme.h"

#include <QAbstractItemView>
#include <QAbstractTextDocumentLayout>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QMenu>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>

using namespace Confab::Desktop;
using Confab::Client::MemberModel;

class tst_Composer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void tabCompletesAMentionFromTheMembers();
    void enterCompletesInsteadOfSending();
    void escapeClosesTheListAndArrowsChoose();
    void highlightsMentions();
    void spellCheckerUsesTheSystemDictionary();
    void underlinesMisspelledProseOnly();
    void fencesTypedWithShiftEnterAreCode();
    void theWordBeingTypedIsNotUnderlinedYet();
    void contextMenuSuggestsAndAddsToTheDictionary();
    void settingsDialogWritesPreferences();
    void autostartEntryRunsTheSameProfile();

private:
    // The list of ranges with a format the highlighter gave: {start, length, bold, underlined}.
    struct Mark
    {
        int start, length;
        bool bold, underlined;
    };
    QList<Mark> marks(int blockNumber = 0) const;
    QPoint pointAt(int position) const;

    QTemporaryDir m_dir;
    QStandardItemModel m_members;
    std::unique_ptr<QWidget> m_window;
    Composer *m_composer = nullptr;
};

void tst_Composer::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // The autostart entry goes under XDG_CONFIG_HOME: a scratch one, not the user's.
    qputenv("XDG_CONFIG_HOME", m_dir.filePath(QStringLiteral("config")).toUtf8());
    for (const char *user : { "alice", "bob", "bobby", "carol", "Dave" }) {
        auto *item = new QStandardItem(QString::fromLatin1(user));
        item->setData(QString::fromLatin1(user), MemberModel::UserRole);
        m_members.appendRow(item);
    }
}

void tst_Composer::init()
{
    m_window = std::make_unique<QWidget>();
    m_composer = new Composer(m_window.get());
    m_composer->setMembers(&m_members, QStringLiteral("alice"));
    m_window->resize(500, 120);
    m_composer->resize(480, m_composer->height());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    m_composer->setFocus();
}

void tst_Composer::cleanup()
{
    m_window.reset();
}

QList<tst_Composer::Mark> tst_Composer::marks(int blockNumber) const
{
    QList<Mark> found;
    const QTextBlock block = m_composer->document()->findBlockByNumber(blockNumber);
    for (const QTextLayout::FormatRange &range : block.layout()->formats()) {
        found.append({ range.start, range.length, range.format.fontWeight() == QFont::Bold,
                       range.format.underlineStyle() == QTextCharFormat::WaveUnderline });
    }
    return found;
}

QPoint tst_Composer::pointAt(int position) const
{
    QTextCursor cursor(m_composer->document());
    cursor.setPosition(position);
    return m_composer->cursorRect(cursor).center() + QPoint(2, 0);
}

void tst_Composer::tabCompletesAMentionFromTheMembers()
{
    QAbstractItemView *list = m_composer->mentionCompleter()->completer()->popup();
    QTest::keyClicks(m_composer, QStringLiteral("hi @bo"));
    QTRY_VERIFY(list->isVisible());
    QCOMPARE(m_composer->mentionCompleter()->completer()->completionCount(), 2); // bob, bobby
    QCOMPARE(list->currentIndex().data(MemberModel::UserRole).toString(), QStringLiteral("bob"));
    QTest::keyClick(list, Qt::Key_Tab);
    QCOMPARE(m_composer->toPlainText(), QStringLiteral("hi @bob "));
    QVERIFY(!list->isVisible());
    QVERIFY(m_composer->hasFocus()); // Tab completed rather than moving the focus on

    // Any case; the user is not offered to themself.
    QTest::keyClicks(m_composer, QStringLiteral("and @DA"));
    QTRY_VERIFY(list->isVisible());
    QTest::keyClick(list, Qt::Key_Tab);
    QCOMPARE(m_composer->toPlainText(), QStringLiteral("hi @bob and @Dave "));
    QTest::keyClicks(m_composer, QStringLiteral("@al"));
    QVERIFY(!list->isVisible());
    // An e-mail address is not a mention.
    QTest::keyClicks(m_composer, QStringLiteral(" mail bob@bo"));
    QVERIFY(!list->isVisible());
}

void tst_Composer::enterCompletesInsteadOfSending()
{
    QSignalSpy submitted(m_composer, &Composer::submitted);
    QAbstractItemView *list = m_composer->mentionCompleter()->completer()->popup();
    QTest::keyClicks(m_composer, QStringLiteral("ping @car"));
    QTRY_VERIFY(list->isVisible());
    QTest::keyClick(list, Qt::Key_Return);
    QCOMPARE(m_composer->toPlainText(), QStringLiteral("ping @carol "));
    QCOMPARE(submitted.count(), 0);
    // With the list closed, Enter sends.
    QTest::keyClick(m_composer, Qt::Key_Return);
    QCOMPARE(submitted.count(), 1);
    QCOMPARE(submitted.at(0).at(0).toString(), QStringLiteral("ping @carol"));
}

void tst_Composer::escapeClosesTheListAndArrowsChoose()
{
    QAbstractItemView *list = m_composer->mentionCompleter()->completer()->popup();
    QTest::keyClicks(m_composer, QStringLiteral("@b"));
    QTRY_VERIFY(list->isVisible());
    QTest::keyClick(list, Qt::Key_Escape);
    QVERIFY(!list->isVisible());
    QCOMPARE(m_composer->toPlainText(), QStringLiteral("@b"));
    // Typing on offers again; Down chooses the second.
    QTest::keyClicks(m_composer, QStringLiteral("o"));
    QTRY_VERIFY(list->isVisible());
    QTest::keyClick(list, Qt::Key_Down);
    QTest::keyClick(list, Qt::Key_Tab);
    QCOMPARE(m_composer->toPlainText(), QStringLiteral("@bobby "));
    // Completing inside a name replaces all of it.
    m_composer->setText(QStringLiteral("ping @cl"));
    m_composer->moveCursor(QTextCursor::Left);
    QTest::keyClicks(m_composer, QStringLiteral("a")); // "@ca|l"
    QTRY_VERIFY(list->isVisible());
    QTest::keyClick(list, Qt::Key_Tab);
    QCOMPARE(m_composer->toPlainText(), QStringLiteral("ping @carol "));
    m_composer->setText({});
    // Moving the cursor away from the name closes the list.
    QTest::keyClicks(m_composer, QStringLiteral("@c"));
    QTRY_VERIFY(list->isVisible());
    QTextCursor home = m_composer->textCursor();
    home.movePosition(QTextCursor::Start);
    m_composer->setTextCursor(home);
    QVERIFY(!list->isVisible());
}

void tst_Composer::highlightsMentions()
{
    m_composer->setText(QStringLiteral("hello @bob, and me@example.org"));
    const QList<Mark> found = marks();
    QCOMPARE(found.size(), 1);
    QCOMPARE(found.at(0).start, 6);
    QCOMPARE(found.at(0).length, 4);
    QVERIFY(found.at(0).bold);
}

void tst_Composer::spellCheckerUsesTheSystemDictionary()
{
    QVERIFY2(SpellChecker::availableLanguages().contains(QStringLiteral("en_US")),
             "hunspell-en-us is installed by scripts/install-deps.sh");
    const QString words = m_dir.filePath(QStringLiteral("words.txt"));
    {
        SpellChecker spell(words);
        QVERIFY(!spell.setLanguage(QStringLiteral("xx_XX")));
        QVERIFY(!spell.isReady());
        QVERIFY(spell.setLanguage(QStringLiteral("en_US")));
        QVERIFY(spell.isCorrect(QStringLiteral("hello")));
        QVERIFY(spell.isCorrect(QStringLiteral("don't")));
        QVERIFY(spell.isCorrect(QStringLiteral("don\u2019t"))); // the typographic apostrophe
        QVERIFY(!spell.isCorrect(QStringLiteral("helo")));
        QVERIFY(spell.isCorrect(QStringLiteral("ok"))); // "OK" in the dictionary, as chat types it
        QVERIFY(spell.suggestions(QStringLiteral("helo")).contains(QStringLiteral("hello")));
        QVERIFY(!spell.isCorrect(QStringLiteral("Confabd")));
        QSignalSpy changed(&spell, &SpellChecker::changed);
        spell.addWord(QStringLiteral("Confabd"));
        QCOMPARE(changed.count(), 1);
        QVERIFY(spell.isCorrect(QStringLiteral("Confabd")));
    }
    // The user's words are there after a restart.
    SpellChecker again(words);
    QVERIFY(again.setLanguage(QStringLiteral("en_US")));
    QVERIFY(again.isCorrect(QStringLiteral("Confabd")));
    QCOMPARE(SpellChecker::languageName(QStringLiteral("en_US")), QStringLiteral("English (United States)"));
}

void tst_Composer::underlinesMisspelledProseOnly()
{
    SpellChecker spell(m_dir.filePath(QStringLiteral("prose.txt")));
    QVERIFY(spell.setLanguage(QStringLiteral("en_US")));
    m_composer->setSpellChecker(&spell);
    m_composer->setText(
        QStringLiteral("Thsi is `wrng` at https://exmple.org/pth for @bbo ok\n```\nnotaword\n```\nagian"));
    QVERIFY(std::none_of(marks(4).cbegin(), marks(4).cend(), [](const Mark &mark) { return mark.underlined; }));
    m_composer->moveCursor(QTextCursor::Start); // "agian" was being typed; now it is checked
    const QList<Mark> first = marks(0);
    QList<std::pair<int, int>> underlined;
    for (const Mark &mark : first) {
        if (mark.underlined)
            underlined.append({ mark.start, mark.length });
    }
    QCOMPARE(underlined, (QList<std::pair<int, int>> { { 0, 4 } })); // "Thsi" only
    QVERIFY(marks(2).isEmpty());                                     // inside the fence
    QCOMPARE(marks(4).size(), 1);                                    // "agian", after it
    QVERIFY(marks(4).at(0).underlined);
    // Off: nothing underlined.
    m_composer->setSpellChecker(nullptr);
    QVERIFY(marks(4).isEmpty());
}

void tst_Composer::fencesTypedWithShiftEnterAreCode()
{
    SpellChecker spell(m_dir.filePath(QStringLiteral("fences.txt")));
    QVERIFY(spell.setLanguage(QStringLiteral("en_US")));
    m_composer->setSpellChecker(&spell);
    // Shift+Enter keeps one block, its lines apart by line separators.
    QTest::keyClicks(m_composer, QStringLiteral("Thsi:"));
    for (const QString &line : { QStringLiteral("```"), QStringLiteral("notaword @bbo"), QStringLiteral("```"),
                                 QStringLiteral("agian done") }) {
        QTest::keyClick(m_composer, Qt::Key_Return, Qt::ShiftModifier);
        QTest::keyClicks(m_composer, line);
    }
    QCOMPARE(m_composer->document()->blockCount(), 1);
    const QString text = m_composer->document()->firstBlock().text();
    QList<int> underlined;
    bool boldInCode = false;
    const int codeStart = int(text.indexOf(QStringLiteral("notaword")));
    for (const Mark &mark : marks()) {
        if (mark.underlined)
            underlined.append(mark.start);
        boldInCode = boldInCode || (mark.bold && mark.start >= codeStart && mark.start < codeStart + 14);
    }
    QCOMPARE(underlined, (QList<int> { 0, int(text.indexOf(QStringLiteral("agian"))) }));
    QVERIFY(!boldInCode); // no mention in code either
}

void tst_Composer::theWordBeingTypedIsNotUnderlinedYet()
{
    SpellChecker spell(m_dir.filePath(QStringLiteral("typing.txt")));
    QVERIFY(spell.setLanguage(QStringLiteral("en_US")));
    m_composer->setSpellChecker(&spell);
    QSignalSpy typing(m_composer, &Composer::typingChanged);
    QTest::keyClicks(m_composer, QStringLiteral("wrold"));
    QVERIFY(marks().isEmpty()); // still typing it
    QTest::keyClick(m_composer, Qt::Key_Space);
    QCOMPARE(marks().size(), 1);
    QVERIFY(marks().at(0).underlined);
    QCOMPARE(typing.count(), 1); // the typing notice, once: highlighting is not typing

    // Nor is highlighting again (a draft put back, then the dictionary or the theme changes).
    m_composer->stopTyping();
    m_composer->setText(QStringLiteral("a drafft kept"));
    typing.clear();
    spell.addWord(QStringLiteral("drafft"));
    QApplication::setPalette(darkPalette());
    QApplication::setPalette(QPalette());
    QCOMPARE(typing.count(), 0);
}

void tst_Composer::contextMenuSuggestsAndAddsToTheDictionary()
{
    SpellChecker spell(m_dir.filePath(QStringLiteral("menu.txt")));
    QVERIFY(spell.setLanguage(QStringLiteral("en_US")));
    m_composer->setSpellChecker(&spell);
    m_composer->setText(QStringLiteral("see you tomorow at Frobnitzhall"));
    m_composer->moveCursor(QTextCursor::Start);
    {
        std::unique_ptr<QMenu> menu(m_composer->createContextMenu(pointAt(10)));
        QAction *first = menu->actions().value(0);
        QVERIFY(first);
        QCOMPARE(first->text(), QStringLiteral("tomorrow"));
        first->trigger();
    }
    QCOMPARE(m_composer->toPlainText(), QStringLiteral("see you tomorrow at Frobnitzhall"));

    const int place = int(m_composer->toPlainText().indexOf(QStringLiteral("Frobnitzhall"))) + 3;
    QVERIFY(marks().constLast().underlined);
    {
        std::unique_ptr<QMenu> menu(m_composer->createContextMenu(pointAt(place)));
        auto *add = menu->findChild<QAction *>(QStringLiteral("addToDictionary"));
        QVERIFY(add);
        QVERIFY(add->text().contains(QStringLiteral("Frobnitzhall")));
        add->trigger();
    }
    QVERIFY(std::none_of(marks().cbegin(), marks().cend(), [](const Mark &mark) { return mark.underlined; }));
    // A correct word: only the standard edit actions.
    std::unique_ptr<QMenu> menu(m_composer->createContextMenu(pointAt(1)));
    QVERIFY(!menu->findChild<QAction *>(QStringLiteral("addToDictionary")));
}

void tst_Composer::settingsDialogWritesPreferences()
{
    QSettings settings(m_dir.filePath(QStringLiteral("confab.ini")), QSettings::IniFormat);
    Preferences preferences(&settings);
    QCOMPARE(preferences.theme(), Theme::System);
    QCOMPARE(preferences.awayAfterMinutes(), Preferences::DefaultAwayAfterMinutes);
    QVERIFY(preferences.isSpellCheckEnabled());
    QCOMPARE(preferences.spellLanguage(), SpellChecker::defaultLanguage());

    Confab::Client::ChatSession session;
    SettingsDialog dialog(&session, &preferences, {});
    dialog.show();
    QSignalSpy themes(&preferences, &Preferences::themeChanged);
    auto *theme = dialog.findChild<QComboBox *>(QStringLiteral("themeBox"));
    QVERIFY(theme);
    theme->setCurrentIndex(theme->findData(int(Theme::Dark)));
    QCOMPARE(themes.count(), 1);
    QCOMPARE(preferences.theme(), Theme::Dark);
    QCOMPARE(settings.value(QStringLiteral("appearance/theme")).toString(), QStringLiteral("dark"));

    auto *away = dialog.findChild<QSpinBox *>(QStringLiteral("awayAfterBox"));
    away->setValue(0);
    QCOMPARE(preferences.awayAfterMinutes(), 0);
    QCOMPARE(away->text(), QStringLiteral("Never"));

    auto *notifications = dialog.findChild<QCheckBox *>(QStringLiteral("notificationsBox"));
    auto *previews = dialog.findChild<QCheckBox *>(QStringLiteral("previewsBox"));
    notifications->setChecked(false);
    QVERIFY(!preferences.notificationsEnabled());
    QVERIFY(!previews->isEnabled());

    QSignalSpy spelling(&preferences, &Preferences::spellingChanged);
    auto *check = dialog.findChild<QCheckBox *>(QStringLiteral("spellCheckBox"));
    auto *language = dialog.findChild<QComboBox *>(QStringLiteral("spellLanguageBox"));
    QVERIFY(language);
    QVERIFY(language->findData(QStringLiteral("en_US")) >= 0);
    check->setChecked(false);
    QVERIFY(!preferences.isSpellCheckEnabled());
    QVERIFY(!language->isEnabled());
    QCOMPARE(spelling.count(), 1);

    // Kept: a new dialog on the same settings shows the choices.
    Preferences reread(&settings);
    SettingsDialog again(&session, &reread, {});
    QCOMPARE(again.findChild<QComboBox *>(QStringLiteral("themeBox"))->currentData().toInt(), int(Theme::Dark));
    QVERIFY(!again.findChild<QCheckBox *>(QStringLiteral("spellCheckBox"))->isChecked());

    // The themes themselves: dark and back to the desktop's own.
    const QPalette desktops = QApplication::palette();
    applyTheme(Theme::Dark);
    QVERIFY(isDark(QApplication::palette()));
    applyTheme(Theme::System);
    QCOMPARE(QApplication::palette().color(QPalette::Window), desktops.color(QPalette::Window));
    QVERIFY(!QCoreApplication::testAttribute(Qt::AA_SetPalette));
}

void tst_Composer::autostartEntryRunsTheSameProfile()
{
    QSettings settings(m_dir.filePath(QStringLiteral("autostart.ini")), QSettings::IniFormat);
    Preferences preferences(&settings);
    Confab::Client::ChatSession session;
    const QString profile = m_dir.filePath(QStringLiteral("my profile"));
    SettingsDialog dialog(&session, &preferences, { QStringLiteral("--profile"), profile });
    auto *autostart = dialog.findChild<QCheckBox *>(QStringLiteral("autostartBox"));
    QVERIFY(autostart);
    QVERIFY(!autostart->isChecked());
    QVERIFY(Autostart::entryPath().startsWith(m_dir.path()));

    autostart->setChecked(true);
    QFile entry(Autostart::entryPath());
    QVERIFY(entry.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(entry.readAll());
    QVERIFY(text.startsWith(QStringLiteral("[Desktop Entry]\n")));
    QVERIFY2(text.contains(QStringLiteral(" --profile \"%1\"\n").arg(profile)), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("Exec=%1 ").arg(QCoreApplication::applicationFilePath())));

    autostart->setChecked(false);
    QVERIFY(!QFile::exists(Autostart::entryPath()));
    // Quoted and escaped as the Desktop Entry spec says: %% always; \$ inside quotes, whose
    // backslash the string rule then doubles.
    QCOMPARE(Autostart::execLine(QStringLiteral("/opt/my apps/confab"), { QStringLiteral("100%$") }),
             QStringLiteral("\"/opt/my apps/confab\" \"100%%\\\\$\""));
    QCOMPARE(Autostart::execLine(QStringLiteral("/usr/bin/confab"), { QStringLiteral("/data/50%") }),
             QStringLiteral("/usr/bin/confab /data/50%%"));
}

QTEST_MAIN(tst_Composer)
#include "tst_composer.moc"
