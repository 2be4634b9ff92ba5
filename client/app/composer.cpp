#include "composer.h"

#include <QKeyEvent>
#include <QTextBlock>
#include <QTimerEvent>

namespace Confab::Desktop {

namespace {
constexpr int MaxLines = 6;
}

Composer::Composer(QWidget *parent)
    : QPlainTextEdit(parent)
{
    setObjectName(QStringLiteral("composer"));
    setTabChangesFocus(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    connect(this, &QPlainTextEdit::textChanged, this, &Composer::handleTextChanged);
    connect(document(), &QTextDocument::blockCountChanged, this, &Composer::fitToText);
    fitToText();
}

QSize Composer::sizeHint() const
{
    const int lines = std::clamp(document()->blockCount(), 1, MaxLines);
    const int frame = 2 * (frameWidth() + int(document()->documentMargin())) + 4;
    return { QPlainTextEdit::sizeHint().width(), lines * fontMetrics().lineSpacing() + frame };
}

void Composer::fitToText()
{
    setFixedHeight(sizeHint().height());
}

void Composer::keyPressEvent(QKeyEvent *event)
{
    const bool enter = event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
    if (enter && !(event->modifiers() & Qt::ShiftModifier)) {
        const QString text = toPlainText().trimmed();
        if (!text.isEmpty()) {
            stopTyping();
            m_settingText = true;
            clear();
            m_settingText = false;
            Q_EMIT submitted(text);
        }
        return;
    }
    QPlainTextEdit::keyPressEvent(event);
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
