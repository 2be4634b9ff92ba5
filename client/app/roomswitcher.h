// Ctrl+K: a filter box over the user's rooms; Enter opens the highlighted one, the
// arrow keys move through the matches without leaving the text field.
#pragma once

#include <QDialog>

class QAbstractItemModel;
class QLineEdit;
class QListView;
class QSortFilterProxyModel;

namespace Confab::Desktop {

class RoomSwitcher : public QDialog
{
    Q_OBJECT
public:
    RoomSwitcher(QAbstractItemModel *rooms, QWidget *parent = nullptr);

    QLineEdit *filterField() const { return m_filter; }

Q_SIGNALS:
    void roomChosen(const QString &room);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void choose();

    QLineEdit *m_filter;
    QListView *m_list;
    QSortFilterProxyModel *m_matches;
};

} // namespace Confab::Desktop
