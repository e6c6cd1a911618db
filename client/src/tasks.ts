// Generated from the task files by scripts/generateClient.ts (npm run generate:client). Do not edit.

/** Per task with declared parameters (`-- param:` in its task file): its `args` by name. */
export interface TaskArgs {
  "get_customers_by_country": {
    country: "US" | "GB" | "DE" | "FR" | "IN" | "BR" | "JP" | "NG";
  };
  "get_orders_by_customer": {
    customer_id: number;
    sort?: "ordered_at" | "order_id" | "total" | null;
  };
  "get_sales_by_day": {
    from_date: string;
    to_date: string;
  };
  "slow_query": {
    seconds: number | `${number}`;
  };
}

/** The tasks with declared parameters. */
export type TaskName = keyof TaskArgs;
