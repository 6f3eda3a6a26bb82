function load(url) {   
  console.log("loading", url);
  debugger;
  return fetch(url);
}
