// Above the composer while a reply or an edit is in progress, as Telegram shows it: a
// bar, what is going on ("Replying to bob", "Editing message"), the first line of the
// message concerned, and a × to cancel.
#pragma once

#include <QWidget>

class QLabel;
class QToolButton;

namespace Confab::Desktop {

class ComposerBanner : public QWidget
{
    Q_OBJECT
public:
    explicit ComposerBanner(QWidget *parent = nullptr);

    void showReply(const QString &from, const QString &text);
    void showEdit(const QString &text);
    // "Replying to bob: first line", as read out and tested.
    QString text() const;
    QToolButton *closeButton() const { return m_close; }

Q_SIGNALS:
    // The × was clicked.
    void cancelRequested();

protected:
    void paintEvent(QPaintEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void showBanner(const QString &title, const QString &preview);
    void elidePreview();

    QLabel *m_title;
    QLabel *m_preview;
    QToolButton *m_close;
    QString m_previewText;
};

} // namespace Confab::Desktop
