// A new room: its name, topic, and whether it is public (in the directory, anyone may
// join) or private (members join by invitation).
#pragma once

#include "chat/requests.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;

namespace Confab::Desktop {

class NewRoomDialog : public QDialog
{
    Q_OBJECT
public:
    explicit NewRoomDialog(QWidget *parent = nullptr);

    Chat::CreateRoomRequest request() const;

Q_SIGNALS:
    void createRequested(const Confab::Chat::CreateRoomRequest &request);

private:
    void validate();

    QLineEdit *m_name;
    QLineEdit *m_topic;
    QRadioButton *m_public;
    QRadioButton *m_private;
    QLabel *m_hint;
    QPushButton *m_create;
};

} // namespace Confab::Desktop
