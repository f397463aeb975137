#pragma once

#include "timelinelayout.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QString>

namespace frameline {

/// The words the sequence diagram writes: an item's label lines, phase titles, lane
/// titles and ruler times. Built when an item is painted, so only what is on screen
/// costs anything.
class TimelineText
{
    Q_DECLARE_TR_FUNCTIONS(frameline::TimelineText)

public:
    /// An item's text: the first line goes on top (an arrow's label, a note's text),
    /// the second, when there is one, below it (headers of a handshake, an error's
    /// message). `lines` is 3 for the TCP connect step: SYN, SYN-ACK, ACK.
    struct Label
    {
        QString lines[3];
        int count = 0;
        bool failure = false; ///< written in the error colour
    };

    static Label label(const Session &session, const TimelineLayout &layout, std::uint32_t item);
    /// Everything about an item, for its tooltip.
    static QString toolTip(const Session &session, const TimelineLayout &layout, std::uint32_t item);

    static QString phaseTitle(TimelinePhase phase);
    /// "Client"/"Server" and, under it, "this app" or the address of the other end.
    static QString laneTitle(Role side);
    static QString laneSubtitle(const Session &session, Role side);
    /// "text message: 3 frames", or with its size "text message in 3 frames, 12 bytes".
    static QString groupTitle(const Session &session, const TimelineGroup &group,
                              bool withSize = false);
    /// The time ruler's heading.
    static QString rulerTitle() { return tr("time (s)"); }
    /// Seconds since the session started, to `decimals` places: "1.250".
    static QString seconds(std::int64_t timeNs, int decimals);
    /// A frame's one-line label: "TEXT FIN len=5 masked "Hello"".
    static QString frameLabel(const Session &session, std::uint32_t index);
    /// A Close frame's or Close event's code and reason: "1000 Normal Closure "bye"".
    static QString closeText(const ClosePayload &close);
};

} // namespace frameline
