#include "emojipicker.h"

#include "emoji.h"

#include <QGridLayout>
#include <QGuiApplication>
#include <QScreen>
#include <QToolButton>

namespace Confab::Desktop {

namespace {

constexpr int Columns = 8;

} // namespace

QStringList EmojiPicker::quickReactions()
{
    return { QStringLiteral("👍"), QStringLiteral("❤️"), QStringLiteral("😂"),
             QStringLiteral("😮"), QStringLiteral("😢"),      QStringLiteral("🎉") };
}

QStringList EmojiPicker::commonEmoji()
{
    static const QStringList more = QStringLiteral("👎 🙏 👏 🙌 👀 💯 🔥 ✅ ❌ 🚀 "
                                                   "😀 😄 😁 😅 🤣 😊 😇 🙂 😉 😍 "
                                                   "🥰 😘 😎 🤔 🤨 😐 😴 😬 🙄 😡 "
                                                   "🤯 🥳 😱 🤝")
                                        .split(QLatin1Char(' '), Qt::SkipEmptyParts);
    return quickReactions() + more;
}

EmojiPicker::EmojiPicker(QWidget *parent)
    : QFrame(parent, Qt::Popup)
{
    setObjectName(QStringLiteral("emojiPicker"));
    setAttribute(Qt::WA_DeleteOnClose);
    setFrameShape(QFrame::StyledPanel);
    setAccessibleName(tr("Add Reaction"));
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(6, 6, 6, 6);
    grid->setSpacing(2);
    QFont large = emojiFont(font());
    large.setPointSizeF(large.pointSizeF() * 1.4);
    const int side = QFontMetrics(large).height() + 10;
    const QStringList emoji = commonEmoji();
    for (int i = 0; i < emoji.size(); ++i) {
        auto *button = new QToolButton(this);
        button->setText(emoji.at(i));
        button->setFont(large);
        button->setAutoRaise(true);
        button->setFixedSize(side, side);
        button->setAccessibleName(emoji.at(i));
        connect(button, &QToolButton::clicked, this, [this, text = emoji.at(i)] {
            Q_EMIT picked(text);
            close();
        });
        grid->addWidget(button, i / Columns, i % Columns);
    }
}

void EmojiPicker::popup(const QPoint &globalPos)
{
    adjustSize();
    QPoint position = globalPos;
    if (const QScreen *screen = QGuiApplication::screenAt(globalPos)) {
        const QRect available = screen->availableGeometry();
        position.setX(std::clamp(position.x(), available.left(), available.right() - width()));
        // Below the pointer when it fits, otherwise above it.
        if (position.y() + height() > available.bottom())
            position.setY(std::max(available.top(), globalPos.y() - height()));
    }
    move(position);
    show();
}

void EmojiPicker::hideEvent(QHideEvent *event)
{
    QFrame::hideEvent(event);
    Q_EMIT closed();
}

} // namespace Confab::Desktop
