-- Sample source database for the local stack and the tests: a small shop.
-- Loaded once into a fresh database (scripts/stack/startEmbeddedPostgres.ts runs it
-- as one statement batch, so it is all or nothing). The data is generated, and
-- the same on every load: setseed() fixes random(), and dates are fixed.
--
--   products      200 rows  a catalogue in 8 categories
--   customers   2 000 rows  some with NULL city/email, some names with quotes and commas
--   orders     10 000 rows  2024-01-01 .. 2025-12-31, in five states
--   order_items ~30 000 rows  1..5 lines per order
--
-- Column types cover what results tables must carry without loss: BIGINT (including
-- orders.tracking_no above 2^53), NUMERIC, TIMESTAMP, DATE, BOOLEAN and TEXT.

SELECT setseed(0.42);

CREATE TABLE products (
  product_id  bigint PRIMARY KEY,
  sku         text NOT NULL UNIQUE,
  name        text NOT NULL,
  category    text NOT NULL,
  unit_price  numeric(10, 2) NOT NULL,
  unit_cost   numeric(10, 2) NOT NULL,
  active      boolean NOT NULL,
  created_at  timestamp NOT NULL
);

CREATE TABLE customers (
  customer_id  bigint PRIMARY KEY,
  name         text NOT NULL,
  email        text,
  country      text NOT NULL,
  city         text,
  is_business  boolean NOT NULL,
  signup_date  date NOT NULL,
  created_at   timestamp NOT NULL
);

CREATE TABLE orders (
  order_id     bigint PRIMARY KEY,
  customer_id  bigint NOT NULL REFERENCES customers,
  order_date   date NOT NULL,
  ordered_at   timestamp NOT NULL,
  status       text NOT NULL CHECK (status IN ('pending', 'shipped', 'delivered', 'cancelled', 'refunded')),
  paid         boolean NOT NULL,
  shipping     numeric(10, 2) NOT NULL,
  tracking_no  bigint
);

CREATE TABLE order_items (
  order_id    bigint NOT NULL REFERENCES orders ON DELETE CASCADE,
  line_no     integer NOT NULL,
  product_id  bigint NOT NULL REFERENCES products,
  quantity    integer NOT NULL CHECK (quantity > 0),
  unit_price  numeric(10, 2) NOT NULL,
  discount    numeric(4, 2) NOT NULL DEFAULT 0,  -- a fraction: 0.10 = 10 % off
  PRIMARY KEY (order_id, line_no)
);

INSERT INTO products (product_id, sku, name, category, unit_price, unit_cost, active, created_at)
SELECT i,
       'SKU-' || lpad(i::text, 5, '0'),
       (ARRAY['Classic', 'Deluxe', 'Mini', 'Pro', 'Eco', 'Smart', 'Ultra', 'Basic'])[1 + (i % 8)] || ' ' ||
         (ARRAY['Kettle', 'Lamp', 'Backpack', 'Chair', 'Headphones', 'Notebook', 'Mug', 'Sneakers', 'Desk', 'Blender'])[1 + (i * 7 % 10)] ||
         ' ' || i,
       (ARRAY['Kitchen', 'Lighting', 'Bags', 'Furniture', 'Audio', 'Stationery', 'Outdoor', 'Apparel'])[1 + (i % 8)],
       price,
       round(price * (0.45 + random() * 0.35)::numeric, 2),
       i % 17 <> 0,
       timestamp '2023-01-01 09:00:00' + (i * interval '37 hours')
FROM generate_series(1, 200) AS i,
     -- random() in a LATERAL subquery runs once per row only if it refers to the row (i * 0).
     LATERAL (SELECT round((5 + random() * 495 + i * 0)::numeric, 2) AS price) AS p;

INSERT INTO customers (customer_id, name, email, country, city, is_business, signup_date, created_at)
SELECT i,
       CASE
         WHEN i % 250 = 0 THEN 'O''Brien, "Holdings" ' || i
         WHEN i % 333 = 0 THEN 'Zoë Müller-Łukasz ' || i
         ELSE (ARRAY['Alice', 'Bob', 'Carla', 'Deepak', 'Emma', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Kemi', 'Luis'])[1 + (i % 12)]
              || ' ' ||
              (ARRAY['Smith', 'Garcia', 'Chen', 'Okafor', 'Rossi', 'Novak', 'Silva', 'Tanaka', 'Dubois', 'Kowalski'])[1 + (i * 3 % 10)]
       END,
       CASE WHEN i % 41 = 0 THEN NULL ELSE 'customer' || i || '@example.com' END,
       c.country,
       CASE WHEN i % 29 = 0 THEN NULL ELSE c.city END,
       i % 5 = 0,
       signup,
       signup + time '08:00' + (random() * interval '12 hours')
FROM generate_series(1, 2000) AS i,
     LATERAL (SELECT date '2022-01-01' + (random() * 900 + i * 0)::int AS signup) AS s,
     LATERAL (
       SELECT (ARRAY['US', 'US', 'US', 'GB', 'DE', 'FR', 'IN', 'BR', 'JP', 'NG'])[1 + (i % 10)] AS country,
              (ARRAY['Springfield', 'Austin', 'Portland', 'London', 'Berlin', 'Paris', 'Pune', 'Recife', 'Osaka', 'Lagos'])[1 + (i % 10)] AS city
     ) AS c;

INSERT INTO orders (order_id, customer_id, order_date, ordered_at, status, paid, shipping, tracking_no)
SELECT i,
       1 + floor(random() * 2000)::bigint,
       at::date,
       at,
       st.status,
       st.status IN ('shipped', 'delivered', 'refunded') OR (st.status = 'pending' AND i % 3 = 0),
       (ARRAY[0, 4.99, 9.99, 14.5])[1 + (i % 4)]::numeric(10, 2),
       CASE WHEN st.status IN ('shipped', 'delivered', 'refunded') THEN 9007199254740993 + i * 7 END
FROM generate_series(1, 10000) AS i,
     LATERAL (SELECT timestamp '2024-01-01 00:00:00' + ((random() + i * 0) * 730 * interval '1 day') AS at) AS t,
     LATERAL (
       SELECT CASE
                WHEN r < 0.05 THEN 'pending'
                WHEN r < 0.20 THEN 'shipped'
                WHEN r < 0.88 THEN 'delivered'
                WHEN r < 0.96 THEN 'cancelled'
                ELSE 'refunded'
              END AS status
       FROM (SELECT random() + i * 0 AS r) AS x
     ) AS st;

INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price, discount)
SELECT o.order_id,
       l,
       pr.product_id,
       1 + floor(random() * 4)::int,
       pr.unit_price,
       (ARRAY[0, 0, 0, 0.05, 0.10, 0.25])[1 + floor(random() * 6)::int]::numeric(4, 2)
FROM orders AS o,
     LATERAL generate_series(1, 1 + (o.order_id * 7 % 5)::int) AS l,
     LATERAL (SELECT 1 + ((o.order_id * 31 + l * 17) % 200) AS pid) AS pick
     JOIN products AS pr ON pr.product_id = pick.pid;

CREATE INDEX orders_customer_idx ON orders (customer_id);
CREATE INDEX orders_date_idx ON orders (order_date);
CREATE INDEX order_items_product_idx ON order_items (product_id);

ANALYZE;
