// Where a message is written: Enter sends, Shift+Enter starts a new line, the box grows
// with its text (wrapped lines too) up to a few lines, then scrolls, and typing is
// reported (renewed every few seconds, ended after a pause, on send, or when the text is
// cleared). Near the server's length limit a counter shows; past it Enter is refused
// and the text stays. Up in an empty composer asks to edit the user's last message;
// while a reply or an edit is in progress Esc cancels it. Pasted or dropped files, and a
// pasted picture, are handed on to be attached rather than written in as text.
// "@" offers the room's members (MentionCompleter); mentions are highlighted and, with a
// spell checker, misspelled words underlined, with suggestions in the context menu.
#pragma once

#include <QBasicTimer>
#include <QElapsedTimer>
#include <QImage>
#include <QPlainTextEdit>
#include <QTextBlock>

class QAbstractItemModel;
class QLabel;
class QMenu;

namespace Confab::Desktop {

class ComposerHighlighter;
class MentionCompleter;
class SpellChecker;

class Composer : public QPlainTextEdit
{
    Q_OBJECT
public:
    static constexpr int TypingRenewMs = 3000;
    static constexpr int TypingPauseMs = 4000;
    static constexpr int MaxVisibleLines = 6; // then it scrolls
    static constexpr int CounterFrom = 3500;  // characters: the counter shows from here on

    explicit Composer(QWidget *parent = nullptr);

    // Ends a typing notice now (the room changes, the window closes).
    void stopTyping();
    QSize sizeHint() const override;
    // The text as it would be sent, in characters (code points) as the server counts them.
    int messageLength() const;
    bool isTooLong() const;
    // "3,612 / 4,000" near the limit; hidden below it.
    QLabel *counter() const { return m_counter; }
    // While a reply or an edit is in progress, Esc cancels it (cancelRequested) rather
    // than doing what the window does with Esc.
    void setEscapeCancels(bool cancels) { m_escapeCancels = cancels; }
    // Replaces the text (a draft put back, a message to edit) without a typing notice.
    void setText(const QString &text);
    // With files to send, Enter sends an empty text too.
    void setAcceptsEmpty(bool accepts) { m_acceptsEmpty = accepts; }

    // Who "@" offers: the room's members (names in MemberModel::UserRole), not ownUser.
    void setMembers(QAbstractItemModel *members, const QString &ownUser);
    MentionCompleter *mentionCompleter() const { return m_mentions; }
    // nullptr turns spell checking off.
    void setSpellChecker(SpellChecker *checker);
    SpellChecker *spellChecker() const;
    // The standard edit menu, with spelling suggestions and "Add to Dictionary" first
    // when the word at position (viewport coordinates) is misspelled. The caller owns it.
    QMenu *createContextMenu(const QPoint &position);

Q_SIGNALS:
    void submitted(const QString &text);
    void typingChanged(bool active);
    // Enter was pressed on a message the server would refuse; the text stays.
    void submitRefused(const QString &reason);
    void cancelRequested();
    // Up in an empty composer: the user wants to edit their newest message.
    void editLastRequested();
    // Local files pasted or dropped, or a picture pasted: to attach.
    void filesPasted(const QStringList &paths);
    void imagePasted(const QImage &image);

protected:
    bool event(QEvent *event) override;
    void changeEvent(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void inputMethodEvent(QInputMethodEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    bool focusNextPrevChild(bool next) override;
    void resizeEvent(QResizeEvent *event) override;
    void timerEvent(QTimerEvent *event) override;
    bool canInsertFromMimeData(const QMimeData *source) const override;
    void insertFromMimeData(const QMimeData *source) override;

private:
    void handleTextChanged();
    // Highlights again (the block, or everything) without that counting as typing.
    void rehighlight(const QTextBlock &block = {});
    void followCursorForSpelling();
    void addSpellingActions(QMenu *menu, const QPoint &position);
    void fitToText();
    int visualLineCount() const;
    void updateCounter();
    void placeCounter();
    QString tooLongText() const;

    bool m_typing = false;
    bool m_settingText = false;
    bool m_escapeCancels = false;
    bool m_acceptsEmpty = false;
    QElapsedTimer m_lastTypingNotice;
    QBasicTimer m_pauseTimer;
    QLabel *m_counter;
    MentionCompleter *m_mentions;
    ComposerHighlighter *m_highlighter;
};

} // namespace Confab::Desktop
