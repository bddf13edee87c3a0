// An async loop of 1,000,000 awaits (issue 11's benchmark): each await suspends the
// function and resumes it from a promise reaction job.
async function step(i) { return i & 7; }
async function main() {
  let sum = 0;
  for (let i = 0; i < 500000; i++) {
    sum += await i;
    sum += await step(i);
  }
  return sum;
}
main().then((s) => console.log(s));
