// A small popup grid of common emoji to react with: "More…" in a message's React menu
// and the react button of the hover actions open it. Picking one closes it.
#pragma once

#include <QFrame>

namespace Confab::Desktop {

class EmojiPicker : public QFrame
{
    Q_OBJECT
public:
    explicit EmojiPicker(QWidget *parent = nullptr);

    // The six offered in the React menu itself.
    static QStringList quickReactions();
    // The grid: the quick ones first, then other common ones.
    static QStringList commonEmoji();

    // Shows the picker with its top left at globalPos, moved to fit on the screen.
    void popup(const QPoint &globalPos);

Q_SIGNALS:
    void picked(const QString &emoji);
    // Picked or dismissed.
    void closed();

protected:
    void hideEvent(QHideEvent *event) override;
};

} // namespace Confab::Desktop
