// The worker for plain connections, on an I/O thread: their descriptors (taken from Qt)
// sit in one epoll set that Qt's event loop watches with a single notifier however many
// connections it holds, and everything queued for one leaves in one writev.
#pragma once

#include "websocket/ioworker.h"

QT_BEGIN_NAMESPACE
class QSocketNotifier;
QT_END_NAMESPACE

namespace Confab::WebSocket {

class PlainIoWorker final : public IoWorker
{
    Q_OBJECT
public:
    PlainIoWorker(qint64 maxMessageBytes, EventSink sink);
    ~PlainIoWorker() override;

protected:
    void adopt(Command &command) override;
    void queue(Link *link, QByteArray bytes) override;
    void flush(Link *link) override;
    void applyReadingPaused(bool paused) override;
    void release(Link *link) override;

private:
    struct PlainLink;
    void pollReady();
    void read(PlainLink *link);
    void write(PlainLink *link);
    void setWantsWrite(PlainLink *link, bool wantsWrite);
    quint32 interest(bool wantsWrite) const;
    void updateInterest(PlainLink *link);

    int m_epoll = -1;
    QSocketNotifier *m_epollNotifier = nullptr;
};

} // namespace Confab::WebSocket
