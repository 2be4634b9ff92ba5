// The files a message carries, under its text: a picture (png, jpeg, gif, webp, with its
// size known) as itself, scaled to fit InlineImageBounds, with a placeholder of that size
// while it loads; any other file as a chip with an icon for its kind, the name (elided)
// and the size. Clicking opens the file (a picture in the viewer), the context menu saves
// it elsewhere. Files still uploading say so. One layout serves measuring, painting and
// hit-testing, as ReactionChips does; a row's height never waits for a picture.
#pragma once

#include <QCoreApplication>
#include <QFont>
#include <QList>
#include <QRect>
#include <QVariantList>

class QPainter;
class QPalette;

namespace Confab::Desktop {

class ImageCache;

// What the user asked of a file chip: open it (a picture in the viewer), open it with the
// desktop's program for it, or save a copy elsewhere.
enum class FileAction { Open, OpenExternally, SaveAs };

class AttachmentChips
{
    Q_DECLARE_TR_FUNCTIONS(AttachmentChips)

public:
    static constexpr int MaxChipWidth = 360;

    // attachments: MessageModel::AttachmentsRole, [{id, name, size, type, width?, height?,
    // thumbnail?, pending?}].
    AttachmentChips(const QVariantList &attachments, const QFont &font, int width);

    bool isEmpty() const { return m_chips.isEmpty(); }
    // Including the gap above the chips; 0 without attachments.
    int height() const { return m_height; }
    // Pictures come from `images` (placeholders while they load, or without one).
    void paint(QPainter *painter, const QPoint &topLeft, const QPalette &palette, int hovered = -1,
               ImageCache *images = nullptr) const;
    // The chip at point (relative to the chips' top left), -1 when none.
    int chipAt(const QPoint &point) const;
    QRect chipRect(int chip) const { return m_chips.value(chip).rect; }
    // The attachment a chip stands for ({id, name, size, type, pending?}).
    QVariantMap attachmentOf(int chip) const { return m_chips.value(chip).attachment; }
    QString toolTip(int chip) const;
    // Whether the chip-th file is shown as a picture.
    bool isImage(int chip) const { return m_chips.value(chip).image; }
    // Whether an attachment is shown as a picture (an inline type with its size known).
    static bool showsAsImage(const QVariantMap &attachment);
    // "1.2 MB", as the locale writes sizes.
    static QString sizeText(qint64 bytes);
    // The icon for a kind of file (MIME type), from the icon theme, or a page drawn in
    // `color` where there is none.
    static void paintFileIcon(QPainter *painter, const QRect &rect, const QString &type, const QColor &color);

private:
    struct Chip
    {
        QRect rect;
        QVariantMap attachment;
        QString label;  // the name, elided to fit
        QString detail; // the size, or "uploading…"
        bool image = false;
    };
    void paintChip(QPainter *painter, const Chip &chip, const QRect &rect, const QPalette &palette, bool hovered) const;
    void paintImage(QPainter *painter, const Chip &chip, const QRect &rect, const QPalette &palette, bool hovered,
                    ImageCache *images) const;
    QList<Chip> m_chips;
    QFont m_font;
    int m_height = 0;
};

} // namespace Confab::Desktop
