#pragma once
// The CloudEvents envelope of every event Tickler publishes, made here and nowhere else:
// - outbox_rows(payload, time): a typed payload (a wire/ struct: its topics, type, source, subject,
//   user_id and to_json()) becomes the outbox rows announcing it, one per topic it travels on, to
//   be written in the transaction of the change;
// - to_event(row): an outbox row becomes the bus::Event the relay publishes — id = the row's
//   CloudEvent id (stable across redeliveries), partition key = the user, time = the change's;
//   from_event(event, at) is its inverse, for an event the in-process bus dead-letters.
// bus/event.cpp encodes a bus::Event as CloudEvents 1.0 JSON (specversion, datacontenttype).
// This header does not include wire/ (outbox/ may not): any struct of that shape is a payload.
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <concepts>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "bus/event.hpp"
#include "store/events.hpp"

namespace tickler::outbox {

template <class P>
concept Payload = requires(const P& p) {
  { P::topics.size() } -> std::convertible_to<std::size_t>;
  { P::source } -> std::convertible_to<std::string_view>;
  { p.type() } -> std::convertible_to<std::string_view>;
  { p.subject() } -> std::convertible_to<std::string>;
  { p.user_id } -> std::convertible_to<core::UserId>;
  { p.to_json() } -> std::same_as<boost::json::object>;
};

// One outbox row; its id (and so the CloudEvent id) is given when it is appended.
[[nodiscard]] store::OutboxRow outbox_row(std::string_view topic, std::string_view type,
                                          std::string_view source, std::string subject,
                                          core::UserId user, std::string data, core::Instant time);

// Appends the rows of `payload` to `rows`, in the order of its topics (a payload passed as an
// rvalue gives its JSON members up instead of copying them).
template <class P>
requires Payload<std::remove_cvref_t<P>>
void append_outbox_rows(std::vector<store::OutboxRow>& rows, P&& payload, core::Instant time) {
  using T = std::remove_cvref_t<P>;
  static_assert(!T::topics.empty(), "an event travels on at least one topic");
  const std::string_view type = payload.type();
  const auto subject = payload.subject();
  const core::UserId user = payload.user_id;
  auto data = boost::json::serialize(std::forward<P>(payload).to_json());
  for (std::size_t i = 0; i + 1 < T::topics.size(); ++i) {
    rows.push_back(outbox_row(T::topics[i], type, T::source, subject, user, data, time));
  }
  rows.push_back(
      outbox_row(T::topics.back(), type, T::source, subject, user, std::move(data), time));
}

template <class P>
requires Payload<std::remove_cvref_t<P>>
[[nodiscard]] std::vector<store::OutboxRow> outbox_rows(P&& payload, core::Instant time) {
  std::vector<store::OutboxRow> rows;
  append_outbox_rows(rows, std::forward<P>(payload), time);
  return rows;
}

// The bus event of an outbox row.
[[nodiscard]] bus::Event to_event(const store::OutboxRow& row);
// The outbox row a bus event stands for, keeping its CloudEvent id (a dead letter's event, which
// a redrive puts back in the outbox); created_at is when the row is written.
[[nodiscard]] store::OutboxRow from_event(const bus::Event& event, core::Instant created_at);

}  // namespace tickler::outbox
