-- demo.sql: a script for the SQLite shell in Isola (docs/ports.md):
-- run sqlite3 :memory: ".read /initrd/ports/demo.sql"
create table planet(name text primary key, moons integer, au real);
insert into planet values
  ('Mercury', 0, 0.39), ('Venus', 0, 0.72), ('Earth', 1, 1.0),
  ('Mars', 2, 1.52), ('Jupiter', 95, 5.2), ('Saturn', 146, 9.54);
select name, moons from planet where moons > 0 order by moons desc;
select count(*), sum(moons), printf('%.2f', avg(au)) from planet;
with recursive fib(a, b, n) as (select 0, 1, 1 union all select b, a + b, n + 1 from fib where n < 30)
select max(b) from fib;
