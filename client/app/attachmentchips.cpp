#include "attachmentchips.h"

#include "attachmentfiles.h"
#include "imagecache.h"

#include <QFontMetrics>
#include <QIcon>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QPalette>

namespace Confab::Desktop {

namespace {

constexpr int Gap = 4;     // above the chips, and between them
constexpr int Padding = 8; // inside a chip
constexpr int IconSize = 20;

QString iconNameFor(const QString &type)
{
    if (type.startsWith(QLatin1String("image/")))
        return QStringLiteral("image-x-generic");
    if (type.startsWith(QLatin1String("text/")))
        return QStringLiteral("text-x-generic");
    return QStringLiteral("application-octet-stream");
}

} // namespace

QString AttachmentChips::sizeText(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

bool AttachmentChips::showsAsImage(const QVariantMap &attachment)
{
    return isInlineImageType(attachment.value(QStringLiteral("type")).toString())
        && attachment.value(QStringLiteral("width")).toInt() > 0
        && attachment.value(QStringLiteral("height")).toInt() > 0;
}

void AttachmentChips::paintFileIcon(QPainter *painter, const QRect &rect, const QString &type, const QColor &color)
{
    const QIcon icon = QIcon::fromTheme(iconNameFor(type), QIcon::fromTheme(QStringLiteral("text-x-generic")));
    if (!icon.isNull())
        return icon.paint(painter, rect);
    // No icon theme: a page with a folded corner, and a few lines of text on it.
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const QRectF page = QRectF(rect).adjusted(3.5, 1.5, -3.5, -1.5);
    const qreal fold = page.width() / 3;
    QPainterPath outline;
    outline.moveTo(page.topLeft());
    outline.lineTo(page.right() - fold, page.top());
    outline.lineTo(page.right(), page.top() + fold);
    outline.lineTo(page.bottomRight());
    outline.lineTo(page.bottomLeft());
    outline.closeSubpath();
    painter->setPen(QPen(color, 1.2));
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(outline);
    painter->drawLine(QPointF(page.right() - fold, page.top()), QPointF(page.right() - fold, page.top() + fold));
    painter->drawLine(QPointF(page.right() - fold, page.top() + fold), QPointF(page.right(), page.top() + fold));
    for (qreal y = page.top() + fold + 3; y < page.bottom() - 2; y += 3)
        painter->drawLine(QPointF(page.left() + 3, y), QPointF(page.right() - 3, y));
    painter->restore();
}

AttachmentChips::AttachmentChips(const QVariantList &attachments, const QFont &font, int width)
    : m_font(font)
{
    if (attachments.isEmpty())
        return;
    const QFontMetrics metrics(font);
    const int chipHeight = std::max(metrics.height(), IconSize) + 10;
    const int chipWidth = std::max(120, std::min(width, MaxChipWidth));
    int y = Gap;
    for (const QVariant &value : attachments) {
        Chip chip;
        chip.attachment = value.toMap();
        const bool pending = chip.attachment.value(QStringLiteral("pending")).toBool();
        chip.detail = pending ? tr("uploading…") : sizeText(chip.attachment.value(QStringLiteral("size")).toLongLong());
        chip.image = showsAsImage(chip.attachment);
        if (chip.image) {
            // Its size comes with the message: the row is as tall before the picture loads as after.
            const QSize original(chip.attachment.value(QStringLiteral("width")).toInt(),
                                 chip.attachment.value(QStringLiteral("height")).toInt());
            chip.rect = QRect(QPoint(0, y), fittedImageSize(original, InlineImageBounds, width));
        } else {
            const int textWidth
                = chipWidth - 2 * Padding - IconSize - Padding - metrics.horizontalAdvance(chip.detail) - Padding;
            chip.label = metrics.elidedText(chip.attachment.value(QStringLiteral("name")).toString(), Qt::ElideMiddle,
                                            std::max(0, textWidth));
            chip.rect = QRect(0, y, chipWidth, chipHeight);
        }
        y += chip.rect.height() + Gap;
        m_chips.append(chip);
    }
    m_height = y - Gap;
}

void AttachmentChips::paint(QPainter *painter, const QPoint &topLeft, const QPalette &palette, int hovered,
                            ImageCache *images) const
{
    painter->save();
    painter->setFont(m_font);
    for (int i = 0; i < m_chips.size(); ++i) {
        const Chip &chip = m_chips.at(i);
        if (chip.image)
            paintImage(painter, chip, chip.rect.translated(topLeft), palette, i == hovered, images);
        else
            paintChip(painter, chip, chip.rect.translated(topLeft), palette, i == hovered);
    }
    painter->restore();
}

void AttachmentChips::paintChip(QPainter *painter, const Chip &chip, const QRect &rect, const QPalette &palette,
                                bool hovered) const
{
    const QColor text = palette.color(QPalette::Text);
    QColor fill = text;
    fill.setAlpha(hovered ? 26 : 12);
    QColor border = text;
    border.setAlpha(50);
    painter->setPen(border);
    painter->setBrush(fill);
    painter->drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);
    const QRect inner = rect.adjusted(Padding, 0, -Padding, 0);
    paintFileIcon(painter, QRect(inner.left(), inner.center().y() - IconSize / 2, IconSize, IconSize),
                  chip.attachment.value(QStringLiteral("type")).toString(), text);
    painter->setPen(text);
    const QRect label = inner.adjusted(IconSize + Padding, 0, 0, 0);
    painter->drawText(label, Qt::AlignLeft | Qt::AlignVCenter, chip.label);
    QColor muted = text;
    muted.setAlpha(150);
    painter->setPen(muted);
    painter->drawText(label, Qt::AlignRight | Qt::AlignVCenter, chip.detail);
}

// The picture, rounded; until it is decoded a quiet box of its size with a picture sign
// (and the name when it cannot be shown).
void AttachmentChips::paintImage(QPainter *painter, const Chip &chip, const QRect &rect, const QPalette &palette,
                                 bool hovered, ImageCache *images) const
{
    constexpr qreal Radius = 6;
    const QColor text = palette.color(QPalette::Text);
    QColor border = text;
    border.setAlpha(40);
    const QPixmap pixmap = images
        ? images->image(chip.attachment, rect.size(), painter->device()->devicePixelRatioF(), { Radius, border })
        : QPixmap();
    QPainterPath shape;
    shape.addRoundedRect(QRectF(rect), Radius, Radius);
    if (!pixmap.isNull()) {
        painter->drawPixmap(rect, pixmap); // framed already
        if (hovered) {
            QColor veil = palette.color(QPalette::Base);
            veil.setAlpha(40);
            painter->fillPath(shape, veil);
        }
    } else {
        QColor fill = text;
        fill.setAlpha(hovered ? 26 : 14);
        painter->fillPath(shape, fill);
        QColor sign = text;
        sign.setAlpha(110);
        painter->setPen(sign);
        const bool failed = images && images->hasFailed(chip.attachment);
        const QString label = failed
            ? QFontMetrics(m_font).elidedText(chip.attachment.value(QStringLiteral("name")).toString(), Qt::ElideMiddle,
                                              rect.width() - 2 * Padding)
            : QString();
        if (rect.height() > IconSize + 4)
            paintFileIcon(painter,
                          QRect(rect.center().x() - IconSize / 2, rect.center().y() - IconSize / 2, IconSize, IconSize),
                          chip.attachment.value(QStringLiteral("type")).toString(), sign);
        if (!label.isEmpty())
            painter->drawText(rect.adjusted(Padding, IconSize + 8, -Padding, 0), Qt::AlignHCenter | Qt::AlignVCenter,
                              label);
        painter->setPen(border);
        painter->setBrush(Qt::NoBrush);
        painter->drawPath(shape);
    }
    if (chip.attachment.value(QStringLiteral("pending")).toBool()) {
        // Not sent yet: a small label in the corner, as the chips say "uploading…".
        const QFontMetrics metrics(m_font);
        const QRect badge(rect.left() + 6, rect.bottom() - metrics.height() - 8,
                          metrics.horizontalAdvance(chip.detail) + 12, metrics.height() + 4);
        QColor back = palette.color(QPalette::Window);
        back.setAlpha(220);
        painter->setPen(Qt::NoPen);
        painter->setBrush(back);
        painter->drawRoundedRect(badge, 4, 4);
        painter->setPen(text);
        painter->drawText(badge, Qt::AlignCenter, chip.detail);
    }
}

int AttachmentChips::chipAt(const QPoint &point) const
{
    for (int i = 0; i < m_chips.size(); ++i) {
        if (m_chips.at(i).rect.contains(point))
            return i;
    }
    return -1;
}

QString AttachmentChips::toolTip(int chip) const
{
    if (chip < 0 || chip >= m_chips.size())
        return {};
    const QVariantMap &attachment = m_chips.at(chip).attachment;
    if (attachment.value(QStringLiteral("pending")).toBool())
        return tr("%1 is uploading; the message goes once it is done")
            .arg(attachment.value(QStringLiteral("name")).toString());
    const QString text = m_chips.at(chip).image ? tr("View %1 (%2, %3) — right-click to save it elsewhere")
                                                : tr("Open %1 (%2, %3) — right-click to save it elsewhere");
    return text.arg(attachment.value(QStringLiteral("name")).toString(),
                    attachment.value(QStringLiteral("type")).toString(),
                    sizeText(attachment.value(QStringLiteral("size")).toLongLong()));
}

} // namespace Confab::Desktop
