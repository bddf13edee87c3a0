		let x y
