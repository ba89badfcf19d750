#pragma once
// The built-in assistant's words and the structured actions beside them. A reply is plain,
// friendly text plus actions the UI draws:
//   {"type":"task","change":"added|completed|reopened|updated|deleted|restored|listed",
//    "id","title","due_at","status"}                          a task card (opens the task)
//   {"type":"choice","number","id","title","due_at","status"} one option of a numbered choice
//   {"type":"confirm","question","answers":["yes","no"]}      a yes/no question
// Task titles are quoted as data (“…”); nothing in them is read as a command.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "services/assistant/dialogue.hpp"

namespace tickler::services::assistant {

struct Reply {
  std::string text;
  boost::json::array actions;
};

// Every form, briefly.
[[nodiscard]] std::string help_text();

// “Title” (due Fri 11 Dec, 15:00)
[[nodiscard]] std::string task_phrase(const TaskRef& task, core::Instant now,
                                      std::string_view time_zone);

[[nodiscard]] boost::json::object task_card(const TaskRef& task, std::string_view change);

// "Which one? 1. … 2. …" with its choice actions.
[[nodiscard]] Reply choice_reply(std::string_view question, const std::vector<TaskRef>& options,
                                 core::Instant now, std::string_view time_zone);

// A listing: a heading, then one numbered line and one card per task (or "Nothing …").
[[nodiscard]] Reply listing_reply(std::string_view heading, std::string_view empty,
                                  const std::vector<TaskRef>& tasks, bool more, core::Instant now,
                                  std::string_view time_zone);

}  // namespace tickler::services::assistant
