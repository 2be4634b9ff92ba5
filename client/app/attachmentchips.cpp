#include "attachmentchips.h"

#include <QFontMetrics>
#include <QIcon>
#include <QLocale>
#include <QPainter>
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
        const int textWidth
            = chipWidth - 2 * Padding - IconSize - Padding - metrics.horizontalAdvance(chip.detail) - Padding;
        chip.label = metrics.elidedText(chip.attachment.value(QStringLiteral("name")).toString(), Qt::ElideMiddle,
                                        std::max(0, textWidth));
        chip.rect = QRect(0, y, chipWidth, chipHeight);
        y += chipHeight + Gap;
        m_chips.append(chip);
    }
    m_height = y - Gap;
}

void AttachmentChips::paint(QPainter *painter, const QPoint &topLeft, const QPalette &palette, int hovered) const
{
    painter->save();
    painter->setFont(m_font);
    const QColor text = palette.color(QPalette::Text);
    for (int i = 0; i < m_chips.size(); ++i) {
        const Chip &chip = m_chips.at(i);
        const QRectF rect = QRectF(chip.rect.translated(topLeft)).adjusted(0.5, 0.5, -0.5, -0.5);
        QColor fill = text;
        fill.setAlpha(i == hovered ? 26 : 12);
        QColor border = text;
        border.setAlpha(50);
        painter->setPen(border);
        painter->setBrush(fill);
        painter->drawRoundedRect(rect, 6, 6);
        const QRect inner = chip.rect.translated(topLeft).adjusted(Padding, 0, -Padding, 0);
        const QIcon icon = QIcon::fromTheme(iconNameFor(chip.attachment.value(QStringLiteral("type")).toString()),
                                            QIcon::fromTheme(QStringLiteral("text-x-generic")));
        const QRect iconRect(inner.left(), inner.center().y() - IconSize / 2, IconSize, IconSize);
        if (!icon.isNull())
            icon.paint(painter, iconRect);
        else { // no icon theme: a page drawn by hand
            painter->setPen(text);
            painter->setBrush(Qt::NoBrush);
            painter->drawRect(iconRect.adjusted(3, 1, -3, -1));
        }
        painter->setPen(text);
        const QRect label = inner.adjusted(IconSize + Padding, 0, 0, 0);
        painter->drawText(label, Qt::AlignLeft | Qt::AlignVCenter, chip.label);
        QColor muted = text;
        muted.setAlpha(150);
        painter->setPen(muted);
        painter->drawText(label, Qt::AlignRight | Qt::AlignVCenter, chip.detail);
    }
    painter->restore();
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
    return tr("Open %1 (%2, %3) — right-click to save it elsewhere")
        .arg(attachment.value(QStringLiteral("name")).toString(), attachment.value(QStringLiteral("type")).toString(),
             sizeText(attachment.value(QStringLiteral("size")).toLongLong()));
}

} // namespace Confab::Desktop
