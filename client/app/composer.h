// Where a message is written: Enter sends, Shift+Enter starts a new line, the box grows
// with its text up to a few lines, and typing is reported (renewed every few seconds,
// ended after a pause, on send, or when the text is cleared).
#pragma once

#include <QBasicTimer>
#include <QElapsedTimer>
#include <QPlainTextEdit>

namespace Confab::Desktop {

class Composer : public QPlainTextEdit
{
    Q_OBJECT
public:
    static constexpr int TypingRenewMs = 3000;
    static constexpr int TypingPauseMs = 4000;

    explicit Composer(QWidget *parent = nullptr);

    // Ends a typing notice now (the room changes, the window closes).
    void stopTyping();
    QSize sizeHint() const override;

Q_SIGNALS:
    void submitted(const QString &text);
    void typingChanged(bool active);

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void timerEvent(QTimerEvent *event) override;

private:
    void handleTextChanged();
    void fitToText();

    bool m_typing = false;
    bool m_settingText = false;
    QElapsedTimer m_lastTypingNotice;
    QBasicTimer m_pauseTimer;
};

} // namespace Confab::Desktop
