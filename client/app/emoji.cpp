#include "emoji.h"

#include <QString>

namespace Confab::Desktop {

namespace {

constexpr char32_t VariationSelector16 = 0xFE0F; // "as emoji"
constexpr char32_t ZeroWidthJoiner = 0x200D;
constexpr char32_t CombiningKeycap = 0x20E3;

// Emoji by default: the pictograph planes (faces, people, animals, flags' letters, skin
// tones, …).
bool isPictograph(char32_t c)
{
    return c >= 0x1F000 && c <= 0x1FAFF;
}

// Symbols that are emoji only when U+FE0F follows: arrows, technical and miscellaneous
// symbols, dingbats (❤ ☀ ✈), © ® ‼ ™, and the keycap bases.
bool isSymbol(char32_t c)
{
    return (c >= 0x2000 && c <= 0x2BFF) || c == 0x00A9 || c == 0x00AE || c == 0x3030 || c == 0x303D || c == 0x3297
        || c == 0x3299 || (c >= u'0' && c <= u'9') || c == u'#' || c == u'*';
}

// What may follow within a sequence: modifiers, the variation selector, the keycap, tags
// (England's flag), and a joiner with the next pictograph.
bool continuesSequence(char32_t c)
{
    return c == VariationSelector16 || c == CombiningKeycap || c == ZeroWidthJoiner || (c >= 0xE0020 && c <= 0xE007F)
        || (c >= 0x1F3FB && c <= 0x1F3FF);
}

} // namespace

QStringList emojiFamilies()
{
    return { QStringLiteral("Noto Color Emoji"), QStringLiteral("Apple Color Emoji"),
             QStringLiteral("Segoe UI Emoji") };
}

QFont emojiFont(const QFont &base)
{
    QFont font = base;
    font.setFamilies(emojiFamilies() + base.families());
    return font;
}

QList<EmojiRun> emojiRuns(const QString &text)
{
    QList<EmojiRun> runs;
    const QList<uint> chars = text.toUcs4();
    int position = 0; // in UTF-16 units
    auto width = [](char32_t c) { return QChar::requiresSurrogates(c) ? 2 : 1; };
    for (qsizetype i = 0; i < chars.size();) {
        const char32_t c = chars.at(i);
        const char32_t next = i + 1 < chars.size() ? chars.at(i + 1) : 0;
        const bool starts
            = isPictograph(c) || (isSymbol(c) && (next == VariationSelector16 || next == CombiningKeycap));
        if (!starts) {
            position += width(c);
            ++i;
            continue;
        }
        const int start = position;
        position += width(c);
        ++i;
        while (i < chars.size()) {
            const char32_t d = chars.at(i);
            const bool joined = i > 0 && chars.at(i - 1) == ZeroWidthJoiner;
            if (!continuesSequence(d) && !(joined && (isPictograph(d) || isSymbol(d))))
                break;
            position += width(d);
            ++i;
        }
        // Runs next to each other (a row of emoji) are one.
        if (!runs.isEmpty() && runs.last().start + runs.last().length == start)
            runs.last().length += position - start;
        else
            runs.append({ start, position - start });
    }
    return runs;
}

} // namespace Confab::Desktop
