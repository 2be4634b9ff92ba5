#include "roomswitcher.h"

#include "roomlistmodel.h"

#include <QKeyEvent>
#include <QLineEdit>
#include <QListView>
#include <QSortFilterProxyModel>
#include <QVBoxLayout>

namespace Confab::Desktop {

using Client::RoomListModel;

RoomSwitcher::RoomSwitcher(QAbstractItemModel *rooms, QWidget *parent)
    : QDialog(parent)
    , m_filter(new QLineEdit(this))
    , m_list(new QListView(this))
    , m_matches(new QSortFilterProxyModel(this))
{
    setObjectName(QStringLiteral("roomSwitcher"));
    setWindowTitle(tr("Switch to a room"));
    setAttribute(Qt::WA_DeleteOnClose);
    m_matches->setSourceModel(rooms);
    m_matches->setFilterRole(RoomListModel::TitleRole);
    m_matches->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_list->setModel(m_matches);
    m_list->setModelColumn(0);
    m_list->setFocusPolicy(Qt::NoFocus);
    m_filter->setObjectName(QStringLiteral("roomSwitcherFilter"));
    m_filter->setPlaceholderText(tr("Jump to a room or a person…"));
    m_filter->installEventFilter(this);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_filter);
    layout->addWidget(m_list);
    resize(380, 320);

    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_matches->setFilterFixedString(text);
        m_list->setCurrentIndex(m_matches->index(0, 0));
    });
    connect(m_filter, &QLineEdit::returnPressed, this, &RoomSwitcher::choose);
    connect(m_list, &QListView::activated, this, &RoomSwitcher::choose);
    m_list->setCurrentIndex(m_matches->index(0, 0));
}

bool RoomSwitcher::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_filter && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Down || key == Qt::Key_Up) {
            const int row = std::clamp(m_list->currentIndex().row() + (key == Qt::Key_Down ? 1 : -1), 0,
                                       std::max(0, m_matches->rowCount() - 1));
            m_list->setCurrentIndex(m_matches->index(row, 0));
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

void RoomSwitcher::choose()
{
    const QModelIndex current = m_list->currentIndex();
    if (!current.isValid())
        return;
    Q_EMIT roomChosen(current.data(RoomListModel::NameRole).toString());
    accept();
}

} // namespace Confab::Desktop
