#include "attachmenttray.h"

#include "attachmentchips.h"
#include "attachmentfiles.h"

#include <QDir>
#include <QFileInfo>
#include <QFrame>
#include <QHBoxLayout>
#include <QImageReader>
#include <QLabel>
#include <QMimeDatabase>
#include <QPainter>
#include <QToolButton>

namespace Confab::Desktop {

namespace {

constexpr int PreviewSize = 32;
constexpr int NameWidth = 220;
constexpr int IconSize = 24;

// A small picture of an image file, or the icon for its kind.
QPixmap previewOf(const QString &path, qreal ratio, const QColor &color)
{
    const QString type = QMimeDatabase().mimeTypeForFile(path).name();
    if (isInlineImageType(type)) {
        QImageReader reader(path);
        reader.setAutoTransform(true);
        const QSize size = reader.size().scaled(QSize(PreviewSize, PreviewSize) * ratio, Qt::KeepAspectRatio);
        if (size.isValid())
            reader.setScaledSize(size);
        QPixmap pixmap = QPixmap::fromImage(reader.read());
        pixmap.setDevicePixelRatio(ratio);
        if (!pixmap.isNull())
            return pixmap;
    }
    QPixmap icon(QSize(IconSize, IconSize) * ratio);
    icon.setDevicePixelRatio(ratio);
    icon.fill(Qt::transparent);
    QPainter painter(&icon);
    AttachmentChips::paintFileIcon(&painter, QRect(0, 0, IconSize, IconSize), type, color);
    return icon;
}

} // namespace

AttachmentTray::AttachmentTray(QWidget *parent)
    : QWidget(parent)
    , m_layout(new QHBoxLayout(this))
{
    setObjectName(QStringLiteral("attachmentTray"));
    m_layout->setContentsMargins(0, 2, 0, 2);
    m_layout->setSpacing(6);
    hide();
}

int AttachmentTray::addFiles(const QStringList &paths)
{
    int leftOut = 0;
    for (const QString &path : paths) {
        if (m_files.contains(path))
            continue;
        if (m_files.size() >= MaxFiles) {
            ++leftOut;
            continue;
        }
        m_files.append(path);
    }
    rebuild();
    return leftOut;
}

void AttachmentTray::removeFile(const QString &path)
{
    m_files.removeAll(path);
    rebuild();
}

void AttachmentTray::setFiles(const QStringList &paths)
{
    m_files = paths.mid(0, MaxFiles);
    rebuild();
}

void AttachmentTray::rebuild()
{
    while (QLayoutItem *item = m_layout->takeAt(0)) {
        if (QWidget *chip = item->widget()) { // later: its ✕ may be what is emitting now
            chip->hide();
            chip->setParent(nullptr);
            chip->deleteLater();
        }
        delete item;
    }
    for (const QString &path : std::as_const(m_files))
        m_layout->addWidget(chipFor(path));
    m_layout->addStretch(1);
    setVisible(!m_files.isEmpty());
    Q_EMIT filesChanged();
}

QWidget *AttachmentTray::chipFor(const QString &path)
{
    const QFileInfo file(path);
    auto *chip = new QFrame(this);
    chip->setObjectName(QStringLiteral("pendingAttachment"));
    chip->setProperty("path", path);
    chip->setFrameShape(QFrame::StyledPanel);
    chip->setToolTip(QDir::toNativeSeparators(path));
    auto *layout = new QHBoxLayout(chip);
    layout->setContentsMargins(6, 3, 3, 3);
    layout->setSpacing(6);
    auto *preview = new QLabel(chip);
    preview->setFixedSize(PreviewSize, PreviewSize);
    preview->setAlignment(Qt::AlignCenter);
    preview->setPixmap(previewOf(path, devicePixelRatioF(), palette().color(QPalette::Text)));
    auto *name = new QLabel(chip);
    name->setText(name->fontMetrics().elidedText(file.fileName(), Qt::ElideMiddle, NameWidth));
    auto *size = new QLabel(AttachmentChips::sizeText(file.size()), chip);
    size->setForegroundRole(QPalette::PlaceholderText);
    auto *remove = new QToolButton(chip);
    remove->setObjectName(QStringLiteral("removeAttachment"));
    remove->setText(QStringLiteral("✕"));
    remove->setAutoRaise(true);
    remove->setToolTip(tr("Leave %1 out").arg(file.fileName()));
    remove->setAccessibleName(tr("Remove %1").arg(file.fileName()));
    connect(remove, &QToolButton::clicked, this, [this, path] { removeFile(path); });
    layout->addWidget(preview);
    layout->addWidget(name);
    layout->addWidget(size);
    layout->addWidget(remove);
    return chip;
}

} // namespace Confab::Desktop
