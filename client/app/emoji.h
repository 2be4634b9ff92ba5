// Emoji in colour. Text fonts such as DejaVu Sans carry black-and-white faces (😂, ❤)
// that Qt's font fallback picks before Noto Color Emoji, and no keycaps (1️⃣ drew as
// "1" and a box). Emoji are therefore drawn with the colour emoji fonts put first: text
// that is only emoji (reactions, the picker) with emojiFont, emoji inside a message's
// text by the runs emojiRuns finds. Not the colour fonts for all text: they carry digits,
// '#', '*' and the space too.
#pragma once

#include <QFont>
#include <QList>
#include <QStringList>

namespace Confab::Desktop {

// Noto Color Emoji, Apple Color Emoji, Segoe UI Emoji: whichever the system has.
QStringList emojiFamilies();
// base with the colour emoji fonts before its own family.
QFont emojiFont(const QFont &base);

struct EmojiRun
{
    int start = 0; // UTF-16 positions in the text
    int length = 0;
    friend bool operator==(const EmojiRun &, const EmojiRun &) = default;
};
// The emoji sequences in text: pictographs with their modifiers and joiners (👍🏽,
// 👩‍💻), flags, keycaps (1️⃣), and symbols asked for as emoji with U+FE0F (❤️).
// Symbols without it (☺, ✔) stay text, as Unicode has them by default.
QList<EmojiRun> emojiRuns(const QString &text);

} // namespace Confab::Desktop
