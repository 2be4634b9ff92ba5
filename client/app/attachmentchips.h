// The files a message carries, one chip each under its text: an icon for the kind of
// file, the name (elided), the size; clicking opens the file (downloaded once into the
// cache), the context menu saves it elsewhere. Files still uploading say so. One layout
// serves measuring, painting and hit-testing, as ReactionChips does.
#pragma once

#include <QCoreApplication>
#include <QFont>
#include <QList>
#include <QRect>
#include <QVariantList>

class QPainter;
class QPalette;

namespace Confab::Desktop {

// What the user asked of a file chip: open it, or save a copy elsewhere.
enum class FileAction { Open, SaveAs };

class AttachmentChips
{
    Q_DECLARE_TR_FUNCTIONS(AttachmentChips)

public:
    static constexpr int MaxChipWidth = 360;

    // attachments: MessageModel::AttachmentsRole, [{id, name, size, type, pending?}].
    AttachmentChips(const QVariantList &attachments, const QFont &font, int width);

    bool isEmpty() const { return m_chips.isEmpty(); }
    // Including the gap above the chips; 0 without attachments.
    int height() const { return m_height; }
    void paint(QPainter *painter, const QPoint &topLeft, const QPalette &palette, int hovered = -1) const;
    // The chip at point (relative to the chips' top left), -1 when none.
    int chipAt(const QPoint &point) const;
    QRect chipRect(int chip) const { return m_chips.value(chip).rect; }
    // The attachment a chip stands for ({id, name, size, type, pending?}).
    QVariantMap attachmentOf(int chip) const { return m_chips.value(chip).attachment; }
    QString toolTip(int chip) const;
    // "1.2 MB", as the locale writes sizes.
    static QString sizeText(qint64 bytes);

private:
    struct Chip
    {
        QRect rect;
        QVariantMap attachment;
        QString label;  // the name, elided to fit
        QString detail; // the size, or "uploading…"
    };
    QList<Chip> m_chips;
    QFont m_font;
    int m_height = 0;
};

} // namespace Confab::Desktop
