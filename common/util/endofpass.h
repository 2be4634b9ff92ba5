// Runs an owner's method once at the end of the event-loop pass in which it was asked
// for, however often it was asked: what the pass queued (appends, poll packets, commands
// for the I/O workers) then leaves in one batch — one transaction, one poll answer, one
// hand-over. The call is queued behind the events already posted, so the rest of the
// pass (the other recipients of a broadcast, the other sockets' reads) joins the batch.
//
// The owner's thread only (a queued call on the owner, not a cross-thread hand-off: see
// HandoffQueue for that). The pending call goes with the owner when it is destroyed. The
// flag is cleared before the method runs, so a request made by the method itself gets a
// pass of its own.
#pragma once

#include <QMetaObject>
#include <QObject>

namespace Confab {

template<typename Owner> class EndOfPass
{
public:
    using Method = void (Owner::*)();

    EndOfPass(Owner *owner, Method method)
        : m_owner(owner)
        , m_method(method)
    {
    }
    EndOfPass(const EndOfPass &) = delete;
    EndOfPass &operator=(const EndOfPass &) = delete;

    void schedule()
    {
        if (m_scheduled)
            return;
        m_scheduled = true;
        QMetaObject::invokeMethod(
            m_owner, [this] { run(); }, Qt::QueuedConnection);
    }
    bool isScheduled() const { return m_scheduled; }

private:
    void run()
    {
        m_scheduled = false;
        (m_owner->*m_method)();
    }

    Owner *m_owner;
    Method m_method;
    bool m_scheduled = false;
};

} // namespace Confab
