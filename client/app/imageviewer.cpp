#include "imageviewer.h"

#include <QHBoxLayout>
#include <QImageReader>
#include <QKeyEvent>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QShortcut>
#include <QToolButton>
#include <QVBoxLayout>
#include <QWheelEvent>

namespace Confab::Desktop {

namespace {

QToolButton *toolButton(const QString &name, const QString &text, const QString &toolTip, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setObjectName(name);
    button->setText(text);
    button->setToolTip(toolTip);
    button->setAutoRaise(true);
    return button;
}

} // namespace

ImageViewer::ImageViewer(const QString &name, QWidget *parent)
    : QDialog(parent)
    , m_area(new QScrollArea(this))
    , m_picture(new QLabel)
    , m_status(new QLabel(this))
    , m_save(toolButton(QStringLiteral("saveImageButton"), tr("Save As…"), tr("Save a copy elsewhere"), this))
    , m_open(toolButton(QStringLiteral("openImageButton"), tr("Open Externally"),
                        tr("Open it with the desktop's image program"), this))
{
    setObjectName(QStringLiteral("imageViewer"));
    setWindowTitle(name);
    setAttribute(Qt::WA_DeleteOnClose);
    resize(900, 700);
    m_picture->setObjectName(QStringLiteral("imageViewerPicture"));
    m_picture->setAlignment(Qt::AlignCenter);
    m_area->setWidget(m_picture);
    m_area->setAlignment(Qt::AlignCenter);
    m_area->setWidgetResizable(false);
    m_area->setFrameShape(QFrame::NoFrame);
    m_area->setBackgroundRole(QPalette::Dark);
    m_area->viewport()->installEventFilter(this);
    m_status->setObjectName(QStringLiteral("imageViewerStatus"));
    m_status->setForegroundRole(QPalette::PlaceholderText);

    auto *zoomOutButton = toolButton(QStringLiteral("zoomOutButton"), QStringLiteral("−"), tr("Zoom out (-)"), this);
    auto *zoomInButton = toolButton(QStringLiteral("zoomInButton"), QStringLiteral("+"), tr("Zoom in (+)"), this);
    auto *actualButton
        = toolButton(QStringLiteral("actualSizeButton"), QStringLiteral("1:1"), tr("Actual size (1)"), this);
    auto *fitButton = toolButton(QStringLiteral("fitButton"), tr("Fit"), tr("Fit to the window (0)"), this);
    connect(zoomOutButton, &QToolButton::clicked, this, &ImageViewer::zoomOut);
    connect(zoomInButton, &QToolButton::clicked, this, &ImageViewer::zoomIn);
    connect(actualButton, &QToolButton::clicked, this, &ImageViewer::showActualSize);
    connect(fitButton, &QToolButton::clicked, this, &ImageViewer::fitToWindow);
    connect(m_save, &QToolButton::clicked, this, &ImageViewer::saveAsRequested);
    connect(m_open, &QToolButton::clicked, this, &ImageViewer::openExternallyRequested);
    for (const auto &[keys, slot] : std::initializer_list<std::pair<QList<QKeySequence>, void (ImageViewer::*)()>> {
             { { QKeySequence::ZoomIn, Qt::Key_Plus, Qt::Key_Equal }, &ImageViewer::zoomIn },
             { { QKeySequence::ZoomOut, Qt::Key_Minus }, &ImageViewer::zoomOut },
             { { Qt::Key_1, Qt::CTRL | Qt::Key_1 }, &ImageViewer::showActualSize },
             { { Qt::Key_0, Qt::CTRL | Qt::Key_0 }, &ImageViewer::fitToWindow },
             { { QKeySequence::Save }, &ImageViewer::saveAsRequested } }) {
        for (const QKeySequence &key : keys)
            connect(new QShortcut(key, this), &QShortcut::activated, this, slot);
    }

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(8, 4, 8, 4);
    for (QWidget *widget : std::initializer_list<QWidget *> { zoomOutButton, zoomInButton, actualButton, fitButton })
        bar->addWidget(widget);
    bar->addSpacing(12);
    bar->addWidget(m_status, 1);
    bar->addWidget(m_save);
    bar->addWidget(m_open);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(bar);
    layout->addWidget(m_area, 1);
    m_save->setEnabled(false);
    m_open->setEnabled(false);
}

void ImageViewer::setPreview(const QImage &preview, const QString &note)
{
    if (!m_path.isEmpty())
        return; // the full picture is there already
    m_image = preview;
    m_status->setText(note);
    updatePicture();
}

bool ImageViewer::setImageFile(const QString &path)
{
    QImageReader reader(path);
    reader.setAutoTransform(true);
    const QImage image = reader.read();
    m_path = path;
    m_save->setEnabled(true);
    m_open->setEnabled(true);
    if (image.isNull()) {
        setError(tr("This picture cannot be shown here (%1); open it externally.").arg(reader.errorString()));
        return false;
    }
    m_image = image;
    m_sizeText = tr("%1 × %2").arg(image.width()).arg(image.height());
    updatePicture();
    return true;
}

void ImageViewer::setError(const QString &text)
{
    m_status->setText(text);
}

QSize ImageViewer::shownSize() const
{
    return m_picture->pixmap().isNull() ? QSize() : m_picture->size();
}

qreal ImageViewer::fittingScale() const
{
    if (m_image.isNull())
        return 1;
    const QSize room = m_area->maximumViewportSize();
    // A small picture is not blown up to fill the window.
    return std::min<qreal>({ 1.0, qreal(room.width()) / m_image.width(), qreal(room.height()) / m_image.height() });
}

void ImageViewer::setScale(qreal scale, QPoint anchor)
{
    QScrollBar *horizontal = m_area->horizontalScrollBar();
    QScrollBar *vertical = m_area->verticalScrollBar();
    if (anchor.isNull())
        anchor = m_area->viewport()->rect().center();
    // Where the anchor is on the picture, as a fraction of it.
    const QPoint onPicture = anchor - m_picture->pos();
    const QPointF fraction(qreal(onPicture.x()) / std::max(1, m_picture->width()),
                           qreal(onPicture.y()) / std::max(1, m_picture->height()));
    m_fitting = false;
    m_scale = std::clamp(scale, MinScale, MaxScale);
    updatePicture();
    horizontal->setValue(int(fraction.x() * m_picture->width()) - anchor.x());
    vertical->setValue(int(fraction.y() * m_picture->height()) - anchor.y());
}

void ImageViewer::zoomIn()
{
    setScale(m_scale * ZoomStep);
}

void ImageViewer::zoomOut()
{
    setScale(m_scale / ZoomStep);
}

void ImageViewer::showActualSize()
{
    setScale(1);
}

void ImageViewer::fitToWindow()
{
    m_fitting = true;
    updatePicture();
}

void ImageViewer::updatePicture()
{
    if (m_image.isNull())
        return;
    if (m_fitting)
        m_scale = fittingScale();
    const QSize size = (QSizeF(m_image.size()) * m_scale).toSize().expandedTo(QSize(1, 1));
    const qreal ratio = devicePixelRatioF();
    QPixmap pixmap = QPixmap::fromImage(
        m_image.scaled(size * ratio, Qt::IgnoreAspectRatio,
                       m_scale < 2 ? Qt::SmoothTransformation : Qt::FastTransformation)); // zoomed in: crisp pixels
    pixmap.setDevicePixelRatio(ratio);
    m_picture->setPixmap(pixmap);
    m_picture->resize(size);
    if (!m_sizeText.isEmpty())
        m_status->setText(tr("%1 · %2 %").arg(m_sizeText).arg(qRound(m_scale * 100)));
}

bool ImageViewer::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_area->viewport() && event->type() == QEvent::Wheel) {
        auto *wheel = static_cast<QWheelEvent *>(event);
        if (wheel->modifiers() & Qt::ControlModifier) {
            const QPoint at = wheel->position().toPoint();
            if (wheel->angleDelta().y() > 0)
                setScale(m_scale * ZoomStep, at);
            else if (wheel->angleDelta().y() < 0)
                setScale(m_scale / ZoomStep, at);
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

void ImageViewer::resizeEvent(QResizeEvent *event)
{
    QDialog::resizeEvent(event);
    if (m_fitting)
        updatePicture();
}

} // namespace Confab::Desktop
