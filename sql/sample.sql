-- Sample tasks for the sample shop database (scripts/sample/schema.sql), in the
-- goyesql / dungbeetle task file format. `npm start` and the tests load this file.
--
-- Every task reads from the `sample` source database and writes its rows to a new
-- table in the `sample_results` database, through the `sqljob_queue` queue.
--
-- `-- param:` lines declare a task's typed parameters, in order: `$1` is the first
-- value parameter, `$2` the second; an identifier parameter (a name from a list)
-- is placed where the SQL says `{{name}}`. A job passes them by name
-- ({"args": {"customer_id": 42}}) or as a list in that order ({"args": ["42"]});
-- a bad value is a 400 naming the parameter.

-- name: get_profit_summary
-- db: sample
-- results: sample_results
-- queue: sqljob_queue
-- Revenue, cost and profit per product category, over orders that were not
-- cancelled or refunded. No arguments.
SELECT p.category,
       count(DISTINCT o.order_id) AS orders,
       sum(i.quantity)::bigint AS units,
       sum(round(i.quantity * i.unit_price * (1 - i.discount), 2)) AS revenue,
       sum(i.quantity * p.unit_cost) AS cost,
       sum(round(i.quantity * i.unit_price * (1 - i.discount), 2)) - sum(i.quantity * p.unit_cost) AS profit,
       min(o.order_date) AS first_order,
       max(o.ordered_at) AS last_order_at
FROM orders o
JOIN order_items i ON i.order_id = o.order_id
JOIN products p ON p.product_id = i.product_id
WHERE o.status IN ('pending', 'shipped', 'delivered')
GROUP BY p.category
ORDER BY profit DESC;

-- name: get_orders_by_customer
-- db: sample
-- results: sample_results
-- queue: sqljob_queue
-- param: customer_id int required
-- param: sort identifier(ordered_at,order_id,total) default ordered_at
-- Every order of one customer (1..2000) with its total, in the order asked for.
SELECT o.order_id,
       o.customer_id,
       c.name AS customer_name,
       o.order_date,
       o.ordered_at,
       o.status,
       o.paid,
       o.tracking_no,
       count(i.line_no)::bigint AS lines,
       sum(round(i.quantity * i.unit_price * (1 - i.discount), 2)) + o.shipping AS total
FROM orders o
JOIN customers c ON c.customer_id = o.customer_id
JOIN order_items i ON i.order_id = o.order_id
WHERE o.customer_id = $1
GROUP BY o.order_id, c.name
ORDER BY {{sort}}, o.order_id;

-- name: get_sales_by_day
-- db: sample
-- results: sample_results
-- queue: sqljob_queue
-- param: from_date date required
-- param: to_date date required
-- Daily sales between two dates, inclusive; the data covers 2024-01-01 .. 2025-12-31.
SELECT o.order_date AS day,
       count(DISTINCT o.order_id) AS orders,
       count(DISTINCT o.customer_id) AS customers,
       sum(round(i.quantity * i.unit_price * (1 - i.discount), 2)) AS revenue,
       bool_or(o.status = 'refunded') AS any_refund
FROM orders o
JOIN order_items i ON i.order_id = o.order_id
WHERE o.order_date BETWEEN $1::date AND $2::date
  AND o.status <> 'cancelled'
GROUP BY o.order_date
ORDER BY o.order_date;

-- name: get_customers_by_country
-- db: sample
-- results: sample_results
-- queue: sqljob_queue
-- raw: 1
-- param: country enum(US,GB,DE,FR,IN,BR,JP,NG) required
-- A raw task: not prepared or checked when the tasks load, only when a job runs.
SELECT c.customer_id,
       c.name,
       c.email,
       c.city,
       c.is_business,
       c.signup_date,
       count(o.order_id) AS orders,
       max(o.ordered_at) AS last_order_at
FROM customers c
LEFT JOIN orders o ON o.customer_id = c.customer_id
WHERE c.country = $1
GROUP BY c.customer_id
ORDER BY c.customer_id;

-- name: get_order_items
-- db: sample
-- results: sample_results
-- queue: sqljob_queue
-- Every order line (about 30 000 rows): a bigger result to stream. No arguments.
SELECT i.order_id,
       i.line_no,
       o.order_date,
       p.sku,
       p.name AS product,
       i.quantity,
       i.unit_price,
       i.discount,
       round(i.quantity * i.unit_price * (1 - i.discount), 2) AS line_total
FROM order_items i
JOIN orders o ON o.order_id = i.order_id
JOIN products p ON p.product_id = i.product_id
ORDER BY i.order_id, i.line_no;

-- name: slow_query
-- db: sample
-- results: sample_results
-- queue: sqljob_queue
-- param: seconds numeric required
-- Sleeps that many seconds on the database, then returns one row: for trying out cancel
-- (DELETE /jobs/{jobID} kills it with pg_cancel_backend) and statement timeouts.
SELECT $1::float8 AS slept_seconds,
       (SELECT count(*) FROM orders) AS orders,
       now()::timestamp AS finished_at
FROM pg_sleep($1::float8);
