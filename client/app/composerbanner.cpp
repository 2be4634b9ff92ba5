#include "composerbanner.h"

#include "replyquote.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QToolButton>

namespace Confab::Desktop {

namespace {

constexpr int Bar = 3;

} // namespace

ComposerBanner::ComposerBanner(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_preview(new QLabel(this))
    , m_close(new QToolButton(this))
{
    setObjectName(QStringLiteral("composerBanner"));
    m_title->setObjectName(QStringLiteral("composerBannerTitle"));
    m_title->setTextFormat(Qt::PlainText);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_preview->setObjectName(QStringLiteral("composerBannerPreview"));
    m_preview->setTextFormat(Qt::PlainText);
    m_preview->setForegroundRole(QPalette::PlaceholderText);
    // The preview gives way first: it is elided to what is left.
    m_preview->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_preview->installEventFilter(this);
    m_close->setObjectName(QStringLiteral("composerBannerClose"));
    m_close->setText(QStringLiteral("×"));
    m_close->setAutoRaise(true);
    m_close->setCursor(Qt::PointingHandCursor);
    m_close->setToolTip(tr("Cancel (Esc)"));
    m_close->setAccessibleName(tr("Cancel"));
    connect(m_close, &QToolButton::clicked, this, &ComposerBanner::cancelRequested);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(Bar + 10, 2, 2, 2);
    layout->setSpacing(8);
    layout->addWidget(m_title);
    layout->addWidget(m_preview, 1);
    layout->addWidget(m_close);
    hide();
}

void ComposerBanner::showReply(const QString &from, const QString &text)
{
    showBanner(tr("Replying to %1").arg(from), ReplyQuote::preview(text));
}

void ComposerBanner::showEdit(const QString &text)
{
    showBanner(tr("Editing message"), ReplyQuote::preview(text));
}

void ComposerBanner::showBanner(const QString &title, const QString &preview)
{
    m_title->setText(title);
    m_previewText = preview;
    setAccessibleName(text());
    show();
    elidePreview();
}

QString ComposerBanner::text() const
{
    return m_previewText.isEmpty() ? m_title->text() : m_title->text() + QStringLiteral(": ") + m_previewText;
}

void ComposerBanner::elidePreview()
{
    m_preview->setText(m_preview->fontMetrics().elidedText(m_previewText, Qt::ElideRight, m_preview->width()));
    m_preview->setToolTip(m_previewText);
}

bool ComposerBanner::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_preview && event->type() == QEvent::Resize)
        elidePreview();
    return QWidget::eventFilter(watched, event);
}

void ComposerBanner::paintEvent(QPaintEvent *event)
{
    QWidget::paintEvent(event);
    QPainter painter(this);
    painter.fillRect(QRect(0, 2, Bar, height() - 4), palette().color(QPalette::Highlight));
}

} // namespace Confab::Desktop
