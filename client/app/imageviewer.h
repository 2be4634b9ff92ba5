// A picture from the conversation, in a window of its own: fitted to the window at first,
// zoomed with Ctrl+wheel, + and - (1:1 shows it pixel for pixel, Fit fits it again), saved
// elsewhere (Save As…) or handed to the desktop's image program (Open Externally). It shows
// the thumbnail it was opened from while the full picture downloads.
#pragma once

#include <QDialog>
#include <QImage>

class QLabel;
class QScrollArea;
class QToolButton;

namespace Confab::Desktop {

class ImageViewer : public QDialog
{
    Q_OBJECT
public:
    static constexpr qreal ZoomStep = 1.25;
    static constexpr qreal MinScale = 0.05;
    static constexpr qreal MaxScale = 16;

    explicit ImageViewer(const QString &name, QWidget *parent = nullptr);

    // What to show until the full picture is there (the inline thumbnail), with a note.
    void setPreview(const QImage &preview, const QString &note);
    // The full picture, from its downloaded file; false when it cannot be read.
    bool setImageFile(const QString &path);
    // A download that failed: why, over the preview.
    void setError(const QString &text);

    QString imagePath() const { return m_path; }
    QSize imageSize() const { return m_image.size(); }
    // Shown pixels per picture pixel; isFitting while the picture follows the window's size.
    qreal scale() const { return m_scale; }
    bool isFitting() const { return m_fitting; }
    // The size the picture is drawn at.
    QSize shownSize() const;

    void zoomIn();
    void zoomOut();
    void showActualSize();
    void fitToWindow();

Q_SIGNALS:
    void saveAsRequested();
    void openExternallyRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    // Zooms keeping the picture's point under `anchor` (viewport coordinates; the middle
    // when null) where it is.
    void setScale(qreal scale, QPoint anchor = {});
    void updatePicture();
    qreal fittingScale() const;

    QScrollArea *m_area;
    QLabel *m_picture;
    QLabel *m_status;
    QToolButton *m_save;
    QToolButton *m_open;
    QImage m_image;
    QString m_path;
    QString m_sizeText; // "1600 × 1000", once the full picture is there
    qreal m_scale = 1;
    bool m_fitting = true;
};

} // namespace Confab::Desktop
