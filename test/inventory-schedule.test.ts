import { problemsOf } from "./config-fixtures";
import { inventoryWith } from "./inventory-fixtures-stack";
import { synthesize } from "./synth";

describe("the inventory's schedule is an expression EventBridge accepts [aws-rule eventbridge-schedule-expression]", () => {
  test.each(["rate(1 day)", "rate(12 hours)", "cron(0 6 * * ? *)", "cron(30 2 ? * MON-FRI *)", "cron(0 0 1 * ? *)"])(
    "%s is accepted (synth validates the config) and becomes the rule's schedule expression",
    (schedule) => {
      expect(synthesize(inventoryWith({ schedule })).resource("aws_cloudwatch_event_rule").block).toMatchObject({
        schedule_expression: schedule,
      });
    },
  );

  test.each([
    ["a value in both day fields", "cron(0 6 * * * *)"],
    ['"?" in both day fields', "cron(0 6 ? * ? *)"],
    ["a day of month and a day of week", "cron(0 6 1 * MON *)"],
  ])("%s is refused, naming the expression and what is allowed", (_what, schedule) => {
    expect(problemsOf(inventoryWith({ schedule }))).toEqual([
      'inventory.schedule must have "?" in exactly one of its cron day-of-month and day-of-week fields (EventBridge ' +
        'takes a value in the other), such as "cron(0 6 * * ? *)" or "cron(0 6 ? * MON *)", ' +
        `got ${JSON.stringify(schedule)}`,
    ]);
  });

  test("five cron fields (Unix cron) are refused: EventBridge wants six, the year last", () => {
    expect(problemsOf(inventoryWith({ schedule: "cron(0 6 * * *)" }))).toEqual([
      'inventory.schedule must be an EventBridge schedule expression such as "rate(1 day)" or "cron(0 6 * * ? *)", got "cron(0 6 * * *)"',
    ]);
  });
});
