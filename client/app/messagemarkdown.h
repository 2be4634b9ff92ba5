// Markdown in chat messages, as people type it: **bold**, *italic*, ~~strike~~, `code`,
// fenced code blocks, > quotes, - and 1. lists, [links](https://…), bare links, @mentions.
// Qt's own parser (QTextDocument::setMarkdown, GitHub dialect, raw HTML shown as text)
// builds the document; this only adapts it to a chat message: line breaks as typed, code
// that wraps instead of running off the side, no images loaded, links only to the web.
#pragma once

#include <QString>

#include <memory>

class QFont;
class QPalette;
class QRegularExpression;
class QTextDocument;

namespace Confab::Desktop {

// Whether text has characters that Markdown could format: text without them is laid out
// as it is, without a QTextDocument. A single pass over the characters.
bool hasMarkup(const QString &text);

// The text with each line break inside a paragraph kept as typed (Markdown would join the
// lines): a line separator, taken out again by renderMarkdown where it ends a block.
QString keepLineBreaks(const QString &text);

// The document for text with Markdown, `note` appended quietly (see MessageText); laid
// out for `width`. Code (inline and fenced) is fixed-pitch with a tinted background,
// fenced blocks are padded (CodeBlockPadding) and wrap.
std::unique_ptr<QTextDocument> renderMarkdown(const QString &text, const QFont &font, int width,
                                              const QPalette &palette, const QString &note);

// The text as it reads, its Markdown markers gone ("**bold**" → "bold"): a room's last
// message in the room list. Text without markup comes back as it is.
QString plainTextOf(const QString &text);

// The space between a fenced code block's text and the edge of its background.
constexpr int CodeBlockPadding = 4;
// How far a quote is indented for each level, its bar at the left of that space.
constexpr int QuoteIndent = 12;

// An @mention: "@" and a name, not after a letter (an e-mail address) or another "@".
const QRegularExpression &mentionPattern();

// Whether a link in a message is one that may be opened by a click.
bool isOpenableLink(const QString &url);

} // namespace Confab::Desktop
