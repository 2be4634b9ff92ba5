#include "composer.h"

#include "attachmentfiles.h"
#include "composerhighlighter.h"
#include "mentioncompleter.h"
#include "spellchecker.h"

#include "chat/validation.h"

#include <QAbstractTextDocumentLayout>
#include <QContextMenuEvent>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMimeData>
#include <QScrollBar>
#include <QTextBlock>
#include <QTimerEvent>

namespace Confab::Desktop {

using Chat::MaxTextLength;

Composer::Composer(QWidget *parent)
    : QPlainTextEdit(parent)
    , m_counter(new QLabel(this))
    , m_mentions(new MentionCompleter(this))
    , m_highlighter(new ComposerHighlighter(document()))
{
    setObjectName(QStringLiteral("composer"));
    setTabChangesFocus(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_counter->setObjectName(QStringLiteral("composerCounter"));
    m_counter->setForegroundRole(QPalette::PlaceholderText);
    m_counter->hide();
    connect(this, &QPlainTextEdit::textChanged, this, &Composer::handleTextChanged);
    connect(this, &QPlainTextEdit::textChanged, this, &Composer::updateCounter);
    connect(this, &QPlainTextEdit::cursorPositionChanged, this, &Composer::followCursorForSpelling);
    // Shift+Enter inserts a line separator (same block) and long lines wrap: both change
    // the document's size in lines (QPlainTextDocumentLayout), not its block count.
    connect(document()->documentLayout(), &QAbstractTextDocumentLayout::documentSizeChanged, this,
            &Composer::fitToText);
    fitToText();
}

int Composer::visualLineCount() const
{
    // blockBoundingRect lays a block out when it is not (yet, or again after the width
    // changed): counting before that would see a long paragraph as one line.
    int lines = 0;
    QAbstractTextDocumentLayout *layout = document()->documentLayout();
    for (QTextBlock block = document()->begin(); block.isValid(); block = block.next()) {
        layout->blockBoundingRect(block);
        lines += std::max(1, block.layout() ? block.layout()->lineCount() : 1);
    }
    return std::max(1, lines);
}

QSize Composer::sizeHint() const
{
    const int lines = std::clamp(visualLineCount(), 1, MaxVisibleLines);
    const QMargins margins = contentsMargins() + viewportMargins();
    const int frame = margins.top() + margins.bottom() + 2 * int(document()->documentMargin());
    return { QPlainTextEdit::sizeHint().width(), lines * fontMetrics().lineSpacing() + frame + 2 };
}

void Composer::fitToText()
{
    // Up to MaxVisibleLines the box grows instead of scrolling; past them it scrolls.
    const bool scrolls = visualLineCount() > MaxVisibleLines;
    setVerticalScrollBarPolicy(scrolls ? Qt::ScrollBarAsNeeded : Qt::ScrollBarAlwaysOff);
    setFixedHeight(sizeHint().height());
    if (!scrolls)
        verticalScrollBar()->setValue(0);
}

int Composer::messageLength() const
{
    return int(toPlainText().trimmed().toUcs4().size());
}

bool Composer::isTooLong() const
{
    return messageLength() > MaxTextLength;
}

QString Composer::tooLongText() const
{
    const QLocale locale;
    return tr("Messages can be at most %1 characters; this one has %2.")
        .arg(locale.toString(MaxTextLength), locale.toString(messageLength()));
}

void Composer::updateCounter()
{
    const int length = messageLength();
    if (length < CounterFrom) {
        if (m_counter->isVisible()) {
            m_counter->hide();
            setViewportMargins(0, 0, 0, 0);
        }
        return;
    }
    const QLocale locale;
    m_counter->setText(tr("%1 / %2").arg(locale.toString(length), locale.toString(MaxTextLength)));
    const bool tooLong = length > MaxTextLength;
    // Red, not a fixed colour for the normal state, so a dark palette still reads.
    m_counter->setStyleSheet(tooLong ? QStringLiteral("color: #d64545; font-weight: bold") : QString());
    // The placeholder role is drawn half transparent: the warning must not be.
    m_counter->setForegroundRole(tooLong ? QPalette::WindowText : QPalette::PlaceholderText);
    m_counter->setToolTip(tooLong ? tooLongText()
                                  : tr("Messages can be at most %1 characters.").arg(locale.toString(MaxTextLength)));
    m_counter->adjustSize();
    m_counter->show();
    placeCounter();
}

void Composer::placeCounter()
{
    if (!m_counter->isVisible())
        return;
    // In the right margin, so the text never runs under it.
    const int room = m_counter->sizeHint().width() + 8;
    if (viewportMargins().right() != room) {
        setViewportMargins(0, 0, room, 0);
        fitToText(); // the text is narrower now: it may take more lines
    }
    // Right of the viewport, left of a scroll bar when there is one.
    const QRect text = viewport()->geometry();
    m_counter->move(text.right() + 5, text.bottom() - m_counter->height() - 2);
}

void Composer::resizeEvent(QResizeEvent *event)
{
    QPlainTextEdit::resizeEvent(event);
    placeCounter();
}

void Composer::setText(const QString &text)
{
    m_settingText = true;
    setPlainText(text);
    m_settingText = false;
    moveCursor(QTextCursor::End);
}

bool Composer::event(QEvent *event)
{
    // Esc is also the window's shortcut back to the composer: a cancel comes first.
    if (event->type() == QEvent::ShortcutOverride && m_escapeCancels
        && static_cast<QKeyEvent *>(event)->key() == Qt::Key_Escape) {
        event->accept();
        return true;
    }
    return QPlainTextEdit::event(event);
}

void Composer::setMembers(QAbstractItemModel *members, const QString &ownUser)
{
    m_mentions->setMembers(members, ownUser);
}

void Composer::setSpellChecker(SpellChecker *checker)
{
    if (SpellChecker *old = m_highlighter->spellChecker())
        disconnect(old, nullptr, this, nullptr);
    m_highlighter->setSpellChecker(checker);
    if (checker) // a word added to the dictionary, another language
        connect(checker, &SpellChecker::changed, this, [this] { rehighlight(); });
    rehighlight();
}

void Composer::rehighlight(const QTextBlock &block)
{
    // New formats change the document as far as textChanged knows: not typing.
    m_settingText = true;
    if (block.isValid())
        m_highlighter->rehighlightBlock(block);
    else
        m_highlighter->rehighlight();
    m_settingText = false;
}

void Composer::followCursorForSpelling()
{
    // The word being typed is not underlined; once the cursor leaves it, it is checked.
    const int before = m_highlighter->typingAt();
    const int now = textCursor().position();
    if (before == now)
        return;
    m_highlighter->setTypingAt(now);
    if (!m_highlighter->spellChecker())
        return;
    const QTextBlock left = document()->findBlock(before);
    const QTextBlock at = document()->findBlock(now);
    if (left.isValid())
        rehighlight(left);
    if (at.isValid() && at != left)
        rehighlight(at);
}

SpellChecker *Composer::spellChecker() const
{
    return m_highlighter->spellChecker();
}

bool Composer::focusNextPrevChild(bool next)
{
    // Tab completes a mention (the completer sees the key after us) rather than moving on.
    if (m_mentions->isActive())
        return false;
    return QPlainTextEdit::focusNextPrevChild(next);
}

void Composer::changeEvent(QEvent *event)
{
    QPlainTextEdit::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        rehighlight(); // mentions are in the palette's link colour
}

void Composer::keyPressEvent(QKeyEvent *event)
{
    if (m_mentions->isActive()) {
        switch (event->key()) {
        case Qt::Key_Return:
        case Qt::Key_Enter:
        case Qt::Key_Tab:
        case Qt::Key_Backtab:
        case Qt::Key_Escape:
            event->ignore(); // the completer's: complete, or close the list
            return;
        default: break;
        }
    }
    if (event->key() == Qt::Key_Escape && m_escapeCancels) {
        Q_EMIT cancelRequested();
        return;
    }
    if (event->key() == Qt::Key_Up && event->modifiers() == Qt::NoModifier && toPlainText().isEmpty()) {
        Q_EMIT editLastRequested();
        return;
    }
    const bool enter = event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
    if (enter && !(event->modifiers() & Qt::ShiftModifier)) {
        const QString text = toPlainText().trimmed();
        if (isTooLong()) {
            // The server would refuse it: keep the text so it can be shortened.
            Q_EMIT submitRefused(tooLongText());
            return;
        }
        if (!text.isEmpty() || m_acceptsEmpty) {
            stopTyping();
            m_settingText = true;
            clear();
            m_settingText = false;
            Q_EMIT submitted(text);
        }
        return;
    }
    QPlainTextEdit::keyPressEvent(event);
    if (!event->text().isEmpty() || event->key() == Qt::Key_Backspace)
        m_mentions->offerCompletions();
}

void Composer::inputMethodEvent(QInputMethodEvent *event)
{
    QPlainTextEdit::inputMethodEvent(event);
    m_mentions->offerCompletions(); // composed characters (dead keys, input methods)
}

void Composer::contextMenuEvent(QContextMenuEvent *event)
{
    std::unique_ptr<QMenu> menu(createContextMenu(event->pos()));
    menu->exec(event->globalPos());
}

QMenu *Composer::createContextMenu(const QPoint &position)
{
    QMenu *menu = createStandardContextMenu(position);
    addSpellingActions(menu, position);
    return menu;
}

void Composer::addSpellingActions(QMenu *menu, const QPoint &position)
{
    SpellChecker *spell = spellChecker();
    if (!spell || !spell->isReady())
        return;
    const QTextCursor at = cursorForPosition(position);
    const QTextBlock block = at.block();
    const ComposerHighlighter::Span span = ComposerHighlighter::checkedWordAt(block, at.positionInBlock());
    if (!span.isValid())
        return;
    const QString word = block.text().mid(span.start, span.length);
    if (spell->isCorrect(word))
        return;
    QAction *first = menu->actions().value(0);
    const int wordStart = block.position() + span.start;
    const auto replaceWord = [this, wordStart, length = span.length](const QString &replacement) {
        QTextCursor cursor(document());
        cursor.setPosition(wordStart);
        cursor.setPosition(wordStart + length, QTextCursor::KeepAnchor);
        cursor.insertText(replacement);
    };
    const QStringList suggestions = spell->suggestions(word);
    for (const QString &suggestion : suggestions) {
        QAction *action = new QAction(suggestion, menu);
        QFont bold = action->font();
        bold.setBold(true);
        action->setFont(bold);
        connect(action, &QAction::triggered, this, [replaceWord, suggestion] { replaceWord(suggestion); });
        menu->insertAction(first, action);
    }
    if (suggestions.isEmpty()) {
        QAction *none = new QAction(tr("No Suggestions"), menu);
        none->setEnabled(false);
        menu->insertAction(first, none);
    }
    QAction *add = new QAction(tr("Add \u201c%1\u201d to Dictionary").arg(word), menu);
    add->setObjectName(QStringLiteral("addToDictionary"));
    connect(add, &QAction::triggered, spell, [spell, word] { spell->addWord(word); });
    menu->insertAction(first, add);
    menu->insertSeparator(first);
}

bool Composer::canInsertFromMimeData(const QMimeData *source) const
{
    return source->hasImage() || !localFilesOf(source).isEmpty() || QPlainTextEdit::canInsertFromMimeData(source);
}

void Composer::insertFromMimeData(const QMimeData *source)
{
    // Files copied in a file manager come with their paths as text too: they are attached.
    if (const QStringList files = localFilesOf(source); !files.isEmpty())
        return Q_EMIT filesPasted(files);
    // A picture alone (a screenshot); text that comes with a picture is what was meant.
    if (source->hasImage() && !source->hasText()) {
        if (const QImage image = qvariant_cast<QImage>(source->imageData()); !image.isNull())
            return Q_EMIT imagePasted(image);
    }
    QPlainTextEdit::insertFromMimeData(source);
}

void Composer::handleTextChanged()
{
    if (m_settingText)
        return;
    if (toPlainText().isEmpty()) {
        stopTyping();
        return;
    }
    if (!m_typing || m_lastTypingNotice.hasExpired(TypingRenewMs)) {
        m_typing = true;
        m_lastTypingNotice.start();
        Q_EMIT typingChanged(true);
    }
    m_pauseTimer.start(TypingPauseMs, this);
}

void Composer::stopTyping()
{
    m_pauseTimer.stop();
    if (!m_typing)
        return;
    m_typing = false;
    Q_EMIT typingChanged(false);
}

void Composer::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_pauseTimer.timerId())
        stopTyping();
    else
        QPlainTextEdit::timerEvent(event);
}

} // namespace Confab::Desktop
