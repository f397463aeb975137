#pragma once

#include "verdictcolors.h"
#include "handshakerecord.h"

#include <QtWidgets/QWidget>

#include <array>
#include <cstdint>

QT_BEGIN_NAMESPACE
class QFrame;
class QLabel;
class QPlainTextEdit;
class QTabWidget;
class QTreeView;
QT_END_NAMESPACE

namespace frameline {

class HandshakeHeaderModel;
class SessionDocument;

/// The opening handshake of the document's session, in three tabs: every header of
/// the request and the response with what it means and the verdict of the RFC 6455
/// check made on it; the two heads byte for byte as they were on the wire; and the
/// Sec-WebSocket-Accept derivation redone from the recorded bytes (key → key + GUID →
/// SHA-1 → base64 → compared with the answer), so the view proves the verdict instead
/// of repeating it. A banner above says how the handshake ended (accepted, refused
/// with a status, rejected by the client, no answer, none yet).
///
/// It follows the document: it rebuilds when another session is shown, takes in the
/// heads as they are appended, and highlights a head when it is the current event.
class HandshakeView : public QWidget
{
    Q_OBJECT

public:
    enum class State : std::uint8_t {
        NoSession,
        NoHandshake, ///< no head recorded (yet, or the connection failed first)
        WaitingForResponse, ///< the request went out, no answer yet
        NoResponse, ///< the request went out, then the connection failed
        Accepted, ///< 101, and every required check passed
        Rejected, ///< an answer the client did not accept (a wrong Accept…)
        Refused, ///< the server answered with another status than 101
    };
    Q_ENUM(State)

    /// The steps of the Sec-WebSocket-Accept derivation, in the order shown.
    enum Step { KeyStep, ConcatenationStep, Sha1Step, Base64Step, ComparisonStep, StepCount };
    Q_ENUM(Step)

    enum Tab { HeadersTab, RawTab, AcceptTab };
    Q_ENUM(Tab)

    explicit HandshakeView(SessionDocument *document, QWidget *parent = nullptr);
    ~HandshakeView() override;

    State state() const { return m_state; }
    const RecordedHandshake &handshake() const { return m_handshake; }
    const AcceptDerivation &derivation() const { return m_derivation; }
    /// The head shown highlighted (the current event, when it is one of them), or -1.
    qint64 highlightedEvent() const { return m_highlightedEvent; }

    HandshakeHeaderModel *headerModel() const { return m_headerModel; }
    QTreeView *headerView() const { return m_headerView; }
    QTabWidget *tabs() const { return m_tabs; }
    /// The selected header row's name, value, meaning and verdicts, whole.
    QLabel *headerDetail() const { return m_headerDetail; }
    QLabel *bannerTitle() const { return m_bannerTitle; }
    QLabel *bannerDetail() const { return m_bannerDetail; }
    QPlainTextEdit *rawView(HandshakeSide side) const;
    QLabel *rawTitle(HandshakeSide side) const;
    /// The value computed or read at a step of the derivation, and the note that judges it.
    QLabel *stepValueLabel(Step step) const { return m_stepValues[step]; }
    QLabel *stepNoteLabel(Step step) const { return m_stepNotes[step]; }

protected:
    void changeEvent(QEvent *event) override;

private:
    using Tone = VerdictTone;

    QWidget *createRawTab();
    QWidget *createAcceptTab();
    void reset();
    void append(quint32 first, quint32 last);
    void refresh();
    void showCurrentEvent();
    void showHeaderDetail();
    void showBanner();
    void showRaw(HandshakeSide side);
    void showDerivation();
    void setStep(Step step, const QString &value, const QString &note, Tone tone);
    void setBanner(const QString &title, const QString &detail, Tone tone);

    SessionDocument *m_document;
    RecordedHandshake m_handshake;
    AcceptDerivation m_derivation;
    VerdictColors m_colors;
    State m_state = State::NoSession;
    qint64 m_highlightedEvent = -1;

    VerdictBanner *m_banner = nullptr;
    QLabel *m_bannerTitle = nullptr;
    QLabel *m_bannerDetail = nullptr;
    QTabWidget *m_tabs = nullptr;
    HandshakeHeaderModel *m_headerModel = nullptr;
    QTreeView *m_headerView = nullptr;
    QLabel *m_headerDetail = nullptr;
    std::array<QPlainTextEdit *, 2> m_rawViews {};
    std::array<QLabel *, 2> m_rawTitles {};
    std::array<QLabel *, StepCount> m_stepValues {};
    std::array<QLabel *, StepCount> m_stepNotes {};
};

} // namespace frameline
