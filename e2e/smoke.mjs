// Browser smoke test: log in as a demo user in Debian's chromium, open 工作台 and 组织机构 on a
// desktop and a phone-width screen, and check no page shows an error.
//
// Usage: node smoke.mjs BASE_URL ACCOUNTS_JSON [SCREENSHOT_DIR]
// ACCOUNTS_JSON is the output of `tongxin demo accounts`.
import { chromium } from "playwright-core";
import { readFileSync, mkdirSync } from "node:fs";

const [base, accountsFile, shots = "e2e/out"] = process.argv.slice(2);
if (!base || !accountsFile) {
  console.error("usage: node smoke.mjs BASE_URL ACCOUNTS_JSON [SCREENSHOT_DIR]");
  process.exit(2);
}
mkdirSync(shots, { recursive: true });
const accounts = JSON.parse(readFileSync(accountsFile, "utf8"));
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const browser = await chromium.launch({
  executablePath,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

let passed = 0;
let failed = 0;
function check(ok, what) {
  if (ok) { passed++; console.log(`ok - ${what}`); }
  else { failed++; console.log(`not ok - ${what}`); }
}

async function visit(page, path, expectText) {
  const res = await page.goto(base + path);
  const body = await page.textContent("body");
  check(res && res.status() < 400, `${path} answers ${res && res.status()}`);
  check(!/服务器内部错误|错误代码|页面不存在|无权访问/.test(body), `${path} shows no error`);
  check(body.includes(expectText), `${path} shows “${expectText}”`);
}

const viewports = [
  { name: "desktop", width: 1280, height: 900 },
  { name: "phone", width: 375, height: 740 },
];
const roles = ["县领导", "乡镇", "系统管理员"];
for (const vp of viewports) {
  for (const role of roles) {
    const acct = accounts.find((a) => a.role === role);
    check(!!acct, `a demo account exists for ${role}`);
    if (!acct) continue;
    const context = await browser.newContext({ viewport: { width: vp.width, height: vp.height }, locale: "zh-CN" });
    const page = await context.newPage();
    const consoleErrors = [];
    page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
    page.on("pageerror", (e) => consoleErrors.push(String(e)));
    await page.goto(base + "/");
    check(page.url().includes("/login"), `${vp.name}/${role}: anonymous home goes to login`);
    await page.fill("#username", acct.username);
    await page.fill("#password", acct.password);
    await Promise.all([page.waitForNavigation(), page.click("button[type=submit].primary")]);
    check(page.url().endsWith("/workbench"), `${vp.name}/${role}: login lands on 工作台 (${page.url()})`);
    const header = await page.textContent("header");
    check(header.includes("演示"), `${vp.name}/${role}: header is marked 演示`);
    await visit(page, "/workbench", "工作台");
    if (role === "乡镇") await page.screenshot({ path: `${shots}/workbench-${vp.name}.png`, fullPage: vp.name === "phone" });
    await visit(page, "/units", "豫海镇");
    if (role === "乡镇") await page.screenshot({ path: `${shots}/units-${vp.name}.png` });
    // Nothing wider than the screen except inside scrollable cards.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 1, `${vp.name}/${role}: /units fits the screen width (overflow ${overflow}px)`);
    if (role === "系统管理员") await visit(page, "/users", "新建用户");
    await visit(page, "/policies", "同政办规发〔2023〕5号");
    if (role === "乡镇") await page.screenshot({ path: `${shots}/policies-${vp.name}.png`, fullPage: vp.name === "phone" });
    // Follow the list to D5, then its 第七条 clause page, by clicking as a person would.
    await Promise.all([page.waitForNavigation(), page.click("text=同政办规发〔2023〕6号")]);
    check((await page.textContent("body")).includes("第七条"), `${vp.name}/${role}: D5 shows its clause tree`);
    await Promise.all([page.waitForNavigation(), page.click("a.clause-label >> text=第七条")]);
    const clauseBody = await page.textContent("body");
    check(clauseBody.includes("270") && clauseBody.includes("引用本条款的规则"), `${vp.name}/${role}: 第七条 shows the homestead caps citing it`);
    if (role === "乡镇") await page.screenshot({ path: `${shots}/clause-${vp.name}.png`, fullPage: vp.name === "phone" });
    await visit(page, "/calendar?q=add-workdays+2024-02-05+5", "2024-02-18");
    await visit(page, "/capabilities/homestead", "尚未建成");
    await Promise.all([page.waitForNavigation(), page.click("form.logout button")]);
    check(page.url().includes("/login"), `${vp.name}/${role}: logout returns to login`);
    check(consoleErrors.length === 0, `${vp.name}/${role}: no console errors ${consoleErrors.join(" | ")}`);
    await context.close();
  }
}
// The supervision office imports a document: paste, review, see what was read.
{
  const acct = accounts.find((a) => a.role === "督查室");
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "zh-CN" });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(base + "/login");
  await page.fill("#username", acct.username);
  await page.fill("#password", acct.password);
  await Promise.all([page.waitForNavigation(), page.click("button[type=submit].primary")]);
  await visit(page, "/documents/import", "文件导入");
  const text = "同政办发〔 2024〕 9 号\n各乡镇人民政府（管委会），政府各部门：\n《同心县城区绿化养护实施方案》已经县人民政府同意，现印发给你们。\n同心县人民政府办公室\n2024年4月1日\n（此件公开发布）\n同心县城区绿化养护实施方案\n一、工作目标\n城区绿化覆盖率达到40%以上。\n二、工作措施\n（一）加强日常养护。每月检查不少于2次。（牵头单位：县住房和城乡建设局；责任单位：豫海镇、自然资源局）\n";
  await page.setInputFiles("#file", { name: "方案.txt", mimeType: "text/plain", buffer: Buffer.from(text, "utf8") });
  await page.waitForFunction(() => document.getElementById("text").value.length > 0);
  check((await page.inputValue("#text")) === text, "a .txt file is read into the text box");
  await Promise.all([page.waitForNavigation(), page.click("button[type=submit].primary")]);
  const body = await page.textContent("body");
  check(page.url().includes("/documents/import/"), `import lands on its review page (${page.url()})`);
  check(body.includes("同政办发〔2024〕9号") && body.includes("同心县住房和城乡建设局"), "the review shows the number and the resolved lead unit");
  check((await page.locator("mark.unit").count()) > 0, "units are highlighted in the text");
  await page.screenshot({ path: `${shots}/import-review-desktop.png`, fullPage: true });
  check(errors.length === 0, `import: no page errors ${errors.join(" | ")}`);
  await context.close();
}
await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
